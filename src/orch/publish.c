/* Publishing: committed artifacts are copied under out/ through .reel/tmp and a rename, so a
 * deliverable under out/ is always whole. A record of what was published lets a re-run skip
 * files that are already in place and restore ones a user deleted. */
#include "orch/cache.h"
#include "orch/graph.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int safe_rel(const char *rel)
{
    if (!rel[0] || rel[0] == '/') return 0;
    for (const char *p = rel; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || (n == 2 && !strncmp(p, "..", 2)) || (n == 1 && p[0] == '.')) return 0;
        p += n + (slash ? 1 : 0);
    }
    return 1;
}

static long long mtime_ns(const struct stat *st)
{
    return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

static int publish_one(reel_graph *g, reel_state *st, const reel_output *o, reel_err *e)
{
    if (!safe_rel(o->publish))
        return reel_errf(e, REEL_EINVAL, "refusing to publish outside out/: '%s'", o->publish);
    char dst[PATH_MAX], tmp[PATH_MAX], hash[65];
    snprintf(dst, sizeof dst, "%s/out/%s", g->p->root, o->publish);
    long long size, mt;
    struct stat sb;
    if (reel_state_published(st, dst, hash, &size, &mt) && !strcmp(hash, o->hash) &&
        stat(dst, &sb) == 0 && sb.st_size == size && mtime_ns(&sb) == mt)
        return 0; /* already in place */
    char *src = reel_cache_path(g->p->root, o->hash, o->filename);
    if (!src) return reel_errf(e, REEL_ENOMEM, "out of memory");
    char *slash = strrchr(dst, '/');
    *slash = 0;
    int rc = reel_mkdirs(dst, e);
    *slash = '/';
    snprintf(tmp, sizeof tmp, "%s/.reel/tmp/publish-%d-%.16s", g->p->root, (int)getpid(), o->hash);
    if (!rc) rc = reel_copy_atomic(src, tmp, dst, e);
    free(src);
    if (!rc && stat(dst, &sb) == 0)
        rc = reel_state_put_published(st, dst, o->hash, sb.st_size, mtime_ns(&sb), e);
    return rc;
}

int reel_publish_node(reel_graph *g, reel_state *st, int i, reel_err *e)
{
    reel_node *n = &g->nodes[i];
    for (int o = 0; o < n->n_outs; o++) {
        if (!n->outs[o].publish[0]) continue;
        int rc = publish_one(g, st, &n->outs[o], e);
        if (rc) return reel_err_prefix(e, "publishing %s", n->id);
    }
    return 0;
}
