/* Process-wide set-up of the library, called once by every front end before anything else. */
#include "media/safeopen.h"
#include "reel/reel.h"

#include <malloc.h>

void reel_init(void)
{
    /* libx264 reads heap bytes it never wrote (seen with and without threads, at mod-16 and other
     * sizes; valgrind does not flag it), so its output would depend on what the process freed
     * before: one proxy in six differed. Filling every allocation with a fixed byte pins those
     * reads, so identical inputs give identical files whatever ran earlier in the process. */
    mallopt(M_PERTURB, 0x5a);
    reel_media_init();
}
