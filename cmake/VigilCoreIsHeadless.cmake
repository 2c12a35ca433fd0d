# Fails the configure step when vigil_core (directly) links a GUI module: the core
# must stay testable headless and vigilctl must run without a display server.
get_target_property(_vigil_core_links vigil_core LINK_LIBRARIES)
foreach(_lib IN LISTS _vigil_core_links)
    if(_lib MATCHES "Qt6?::(Gui|Widgets|Charts|OpenGL|Svg)")
        message(FATAL_ERROR "vigil_core must not link ${_lib}: core has no widgets")
    endif()
endforeach()
