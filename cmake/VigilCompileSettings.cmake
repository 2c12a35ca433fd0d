# One INTERFACE target carries the compile settings every Vigil target shares.
add_library(vigil_compile_settings INTERFACE)
target_compile_features(vigil_compile_settings INTERFACE cxx_std_20)
target_compile_definitions(vigil_compile_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_USE_QSTRINGBUILDER
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_KEYWORDS
    VIGIL_VERSION="${PROJECT_VERSION}"
    VIGIL_APP_ID="${VIGIL_APP_ID}")
target_compile_options(vigil_compile_settings INTERFACE
    -Wall -Wextra -pedantic -Wold-style-cast -Wnon-virtual-dtor
    $<$<BOOL:${VIGIL_WERROR}>:-Werror>)
