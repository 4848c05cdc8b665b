/* `reel demo`: assembles a small project from real media that no one here wrote (fetched from
 * Debian packages by scripts/fetch-media.sh) and runs the whole current pipeline on it. */
#include "cli/cli.h"
#include "util/fsutil.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Real clips, in the order they appear in the demo; missing ones are left out. */
static const char *const demo_clips[] = {
    "cityCC0.mpg", "tree.avi", "vtest.avi", "Megamind.avi", "cup.mp4", "box.mp4",
    "Front_Center.wav", "goforward.wav", NULL,
};

static const char demo_script[] =
    "Title: The Crossing\nCredit: a reel demo\n\n"
    "EXT. CITY STREET - DAY\n\n"
    "Traffic hums. People hurry past a corner shop.\n\n"
    "NARRATOR\nFront center.\n\n"
    "EXT. PARK - DAY\n\n"
    "Wind moves through a lone tree.\n\n"
    "INT. OFFICE LOBBY - DAY\n\n"
    "Pedestrians cross the lobby, left to right, right to left.\n\n"
    "NARRATOR\nGo forward ten meters.\n\n"
    "INT. KITCHEN - NIGHT\n\n"
    "A hand turns a cup on the table, then a box.\n\n"
    "> FADE OUT.\n";

static int copy_clips(const char *media, const char *footage, int *copied, reel_err *e)
{
    *copied = 0;
    int rc = reel_mkdirs(footage, e);
    for (int i = 0; !rc && demo_clips[i]; i++) {
        char src[4096], dst[4096], tmp[4200];
        snprintf(src, sizeof src, "%s/real/%s", media, demo_clips[i]);
        snprintf(dst, sizeof dst, "%s/%s", footage, demo_clips[i]);
        snprintf(tmp, sizeof tmp, "%s/.%s.partial", footage, demo_clips[i]);
        if (!reel_file_exists(src)) continue;
        if (!reel_file_exists(dst)) rc = reel_copy_atomic(src, tmp, dst, e);
        (*copied)++;
    }
    return rc;
}

static void list_outputs(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char *p = reel_path_join(dir, de->d_name);
        struct stat st;
        if (p && stat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode)) list_outputs(p, depth + 1);
            else printf("  %s (%.1f kB)\n", p, st.st_size / 1e3);
        }
        free(p);
    }
    if (d) closedir(d);
}

static int have_media(const char *media)
{
    for (int i = 0; demo_clips[i]; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/real/%s", media, demo_clips[i]);
        if (reel_file_exists(src)) return 1;
    }
    return 0;
}

/* The look reference (libjxl's hdr_room, a warm interior photographed at 16 bits) copied into
 * DIR/looks; *have set when it is there. */
static int copy_look(const char *dir, const char *media, char *dst, size_t cap, int *have, reel_err *e)
{
    char src[4096], looks[4096], tmp[4200];
    snprintf(src, sizeof src, "%s/real/hdr_room.png", media);
    snprintf(looks, sizeof looks, "%s/looks", dir);
    snprintf(dst, cap, "%s/room.png", looks);
    snprintf(tmp, sizeof tmp, "%s/.room.png.partial", looks);
    *have = reel_file_exists(src);
    if (!*have) return 0;
    int rc = reel_mkdirs(looks, e);
    if (!rc && !reel_file_exists(dst)) rc = reel_copy_atomic(src, tmp, dst, e);
    return rc;
}

static int build_project(const char *dir, const char *media, reel_err *e)
{
    char footage[4096], script[4096];
    if (!have_media(media)) /* say so before creating anything */
        return reel_errf(e, REEL_ENOTFOUND, "%s/real: no demo media there; run scripts/fetch-media.sh "
                         "(or `make demo`), or point --media at the folder it filled", media);
    snprintf(footage, sizeof footage, "%s/footage", dir);
    snprintf(script, sizeof script, "%s/script.fountain", dir);
    int copied = 0, rc = copy_clips(media, footage, &copied, e);
    if (!rc && !reel_file_exists(script))
        rc = reel_write_atomic(script, demo_script, sizeof demo_script - 1, e);
    char yaml[4200];
    snprintf(yaml, sizeof yaml, "%s/reel.yaml", dir);
    const char *fl[1] = {footage};
    char look[4200];
    int have_look = 0;
    if (!rc) rc = copy_look(dir, media, look, sizeof look, &have_look, e);
    const char *looks[1] = {look};
    /* a 720p review copy with burnt-in timecode and shot names: the demo renders in about a minute */
    static const char *const delivery[] = {"width=1280", "height=720", "preset=veryfast", "burn_in=both", NULL};
    if (!rc && !reel_file_exists(yaml))
        rc = reel_project_init(dir, fl, 1, "script.fountain", looks, have_look, delivery, e);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option lo[] = {{"media", required_argument, 0, 'm'},
                                       {"threads", required_argument, 0, 't'},
                                       {"help", no_argument, 0, 'h'}, {0}};
    const char *media = getenv("REEL_MEDIA");
    int threads = 0, c;
    if (!media || !*media) media = ".cache/media";
    while ((c = getopt_long(argc, argv, "m:t:h", lo, NULL)) != -1) {
        if (c == 'm') media = optarg;
        else if (c == 't') threads = atoi(optarg);
        else if (c == 'h') {
            printf("usage: reel demo [DIR] [--media DIR] [--threads N]\n\nBuilds a demo project in "
                   "DIR (default ./demo) from real footage and speech\nfetched from Debian packages "
                   "by scripts/fetch-media.sh (media folder: --media,\nelse $REEL_MEDIA, else "
                   ".cache/media), then runs every agent on it. Running it\nagain reuses the cache.\n");
            return 0;
        } else return cli_usage("demo", "unknown option");
    }
    const char *dir = optind < argc ? argv[optind] : "demo";
    reel_err e = {0};
    if (build_project(dir, media, &e)) return cli_fail(&e);
    reel_project p;
    int rc = cli_load(&p, dir, 1);
    if (rc) return rc;
    if (!g_cli.quiet && !g_cli.json)
        printf("demo project %s: %d clips of real footage and speech\n", p.root, p.n_clips);
    fflush(stdout);
    rc = cli_run_project(&p, threads, 0);
    if (!g_cli.quiet && !g_cli.json && rc != EXIT_INTERRUPTED) {
        char out[4200];
        snprintf(out, sizeof out, "%s/out", p.root);
        printf("\ndeliverables:\n");
        list_outputs(out, 0);
        printf("\nnext: `reel status %s`, `reel set %s time_of_day=sunset`, `reel run %s`\n", dir, dir, dir);
    }
    reel_project_free(&p);
    return rc;
}
