#ifndef LIB_FUZZER_DRIVER_H
#define LIB_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer on `test_one_input` with the command line's flags.
///
/// SwiftPM links an executable's `main` to `<module>_main`, which hides
/// libFuzzer's own `main`; each harness's `@main` calls this instead.
int swabline_fuzz_main(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
