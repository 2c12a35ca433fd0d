// Writes the deploy manifest in a loop until killed: the child of the kill -9
// test. Usage: manifest_writer_child FOLDER
#include "manifest_contents.h"

#include <cstdio>

int main(int argc, char *argv[])
{
    if (argc != 2)
        return 2;
    const vigil::ManifestWriter writer(argv[1]);
    const std::string contents[] = {vigil::test::largeManifest(), vigil::test::smallManifest()};
    for (unsigned long i = 0;; ++i)
        writer.write(contents[i % 2]);
}
