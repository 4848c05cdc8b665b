/* Footage discovery: the clips a project's footage entries name, found without opening them,
 * sorted by path and given unique names. Camera originals are only ever read. */
#include "project/brief.h"
#include "util/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const media_ext[] = {"mov", "mp4", "m4v", "mxf", "avi", "mkv", "mts", "m2ts",
                                        "mpg", "mpeg", "webm", "dv", "wav", "aif", "aiff", "flac",
                                        "mp3", "m4a", "ts", NULL};

static int has_media_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return 0;
    for (int i = 0; media_ext[i]; i++)
        if (!strcasecmp(dot + 1, media_ext[i])) return 1;
    return 0;
}

typedef struct list {
    char **v;
    int n, cap;
} list;

static int list_add(list *l, char *s)
{
    if (!s) return REEL_ENOMEM;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        char **nv = realloc(l->v, (size_t)cap * sizeof *nv);
        if (!nv) { free(s); return REEL_ENOMEM; }
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return 0;
}

static int walk(const char *dir, list *out, int depth, reel_err *e)
{
    if (depth > 16) return 0;
    DIR *d = opendir(dir);
    if (!d) return reel_errf(e, REEL_EIO, "footage folder %s: %s", dir, strerror(errno));
    struct dirent *de;
    int rc = 0;
    while (!rc && (de = readdir(d))) {
        if (de->d_name[0] == '.') continue; /* hidden files, ., .. */
        char *path = reel_path_join(dir, de->d_name);
        struct stat st;
        if (!path) { rc = REEL_ENOMEM; break; }
        if (stat(path, &st) < 0) { free(path); continue; } /* dangling link */
        if (S_ISDIR(st.st_mode)) {
            rc = walk(path, out, depth + 1, e);
            free(path);
        } else if (S_ISREG(st.st_mode) && has_media_ext(de->d_name)) {
            rc = list_add(out, path);
        } else {
            free(path);
        }
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *clip_name(const char *path)
{
    char *name = strdup(reel_basename(path));
    if (!name) return NULL;
    char *dot = strrchr(name, '.');
    if (dot && dot != name) *dot = 0;
    for (char *c = name; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == '/' || *c == '\\' || *c == ':') *c = '_';
    return name;
}

static int name_taken(const reel_project *p, int upto, const char *name)
{
    for (int i = 0; i < upto; i++)
        if (!strcmp(p->clips[i].name, name)) return 1;
    return 0;
}

static int make_clips(reel_project *p, list *files)
{
    if (files->n > 1) qsort(files->v, (size_t)files->n, sizeof *files->v, cmp_str);
    p->clips = calloc((size_t)files->n + 1, sizeof *p->clips);
    if (!p->clips) return REEL_ENOMEM;
    for (int i = 0; i < files->n; i++) {
        if (i && !strcmp(files->v[i], files->v[i - 1])) { free(files->v[i]); continue; }
        reel_clip *c = &p->clips[p->n_clips];
        c->path = files->v[i];
        c->label = reel_project_label(p, c->path);
        char *base = clip_name(c->path);
        if (!base) return REEL_ENOMEM;
        c->name = base;
        for (int k = 2; name_taken(p, p->n_clips, c->name); k++) {
            char *alt = malloc(strlen(base) + 16);
            if (!alt) return REEL_ENOMEM;
            sprintf(alt, "%s-%d", base, k);
            if (c->name != base) free(c->name);
            c->name = alt;
        }
        if (c->name != base) free(base);
        p->n_clips++;
    }
    return 0;
}

int reel_project_scan(reel_project *p, reel_err *e)
{
    list files = {0};
    int rc = 0;
    for (int i = 0; !rc && i < p->n_footage; i++) {
        struct stat st;
        if (stat(p->footage[i], &st) < 0)
            rc = reel_errf(e, REEL_ENOTFOUND, "%s: footage '%s' does not exist (%s)", p->brief_path,
                           p->footage[i], strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = walk(p->footage[i], &files, 0, e);
        else
            rc = list_add(&files, strdup(p->footage[i]));
    }
    if (rc == REEL_ENOMEM) reel_errf(e, rc, "out of memory");
    if (!rc) {
        rc = make_clips(p, &files); /* takes ownership of the paths */
        if (rc) reel_errf(e, rc, "out of memory");
    } else {
        for (int i = 0; i < files.n; i++) free(files.v[i]);
    }
    free(files.v);
    return rc;
}
