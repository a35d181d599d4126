/* marker.so - stands in for a pre-existing LD_PRELOAD entry in the rebind
 * tests: announces on stderr that it was loaded. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor))
static void marker_loaded(void)
{
    const char *m = getenv("REBIND_TEST_MARKER");

    if (m != NULL && *m != '\0') {
        dprintf(STDERR_FILENO, "marker: loaded in %s\n",
                program_invocation_short_name);
    }
}
