/* Orchestrator overhead: a 1000-task graph of no-op agents (2 agents x 500 clips), timed through
 * reel_run() cold (every task executes) and warm (every task cached). Target: each under 1 s.
 *
 * The clips are tiny files that are never decoded by the agents; the plan-time reel_media_probe
 * of each clip is part of the overhead measured. Each measurement is repeated (fresh project for
 * the cold run) and the median is reported. Exits 0 whether targets pass or fail; 2 when the
 * bench cannot run. */
#include "agents/agent.h"
#include "orch/orch.h"
#include "project/brief.h"
#include "reel/reel.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define N_CLIPS 500
#define N_REPEAT 3
#define TARGET_S 1.0

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec * 1e-6;
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* ---- the two no-op agents ---- */

static int write_small(reel_task *t, const char *kind, const char *publish_fmt)
{
    const char *clip = reel_task_clip_name(t);
    char pub[512];
    const char *pub_as = NULL;
    if (publish_fmt) {
        snprintf(pub, sizeof pub, publish_fmt, clip);
        pub_as = pub;
    }
    char fname[64];
    snprintf(fname, sizeof fname, "%s.txt", kind);
    const char *path = reel_task_output(t, kind, fname, pub_as);
    if (!path) return reel_task_fail(t, REEL_EIO, "no output path for %s", kind);
    FILE *f = fopen(path, "w");
    if (!f) return reel_task_fail(t, REEL_EIO, "%s: %s", path, strerror(errno));
    fprintf(f, "%s %s\n", kind, clip);
    if (fclose(f)) return reel_task_fail(t, REEL_EIO, "%s: write failed", path);
    return 0;
}

static int noop_a_run(reel_task *t) { return write_small(t, "a", NULL); }

static int noop_b_run(reel_task *t)
{
    if (!reel_task_input(t, "a", 0)) return reel_task_fail(t, REEL_EAGENT, "input a missing");
    return write_small(t, "b", "b/%s.txt");
}

static const reel_option no_options[] = {{0}};
static const char *const reads_source[] = {REEL_KIND_SOURCE, NULL};
static const char *const writes_a[] = {"a", NULL};
static const char *const reads_a[] = {"a", NULL};
static const char *const writes_b[] = {"b", NULL};

static const reel_agent noop_a = {
    .name = "noop_a", .version = 1, .summary = "bench: writes a tiny file per clip",
    .scope = REEL_SCOPE_CLIP, .options = no_options, .reads = reads_source, .writes = writes_a,
    .run = noop_a_run,
};
static const reel_agent noop_b = {
    .name = "noop_b", .version = 1, .summary = "bench: reads a, writes and publishes b",
    .scope = REEL_SCOPE_CLIP, .options = no_options, .reads = reads_a, .writes = writes_b,
    .run = noop_b_run,
};
static const reel_agent *const bench_agents[] = {&noop_a, &noop_b, NULL};

/* ---- project setup ---- */

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void rm_rf(const char *dir) { nftw(dir, rm_cb, 32, FTW_DEPTH | FTW_PHYS); }

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static const char *tmp_base(void)
{
    const char *tmp = getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/tmp";
}

static int make_project(const char *base, char *dir, size_t len)
{
    snprintf(dir, len, "%s/reel-bench-orch-XXXXXX", base);
    if (!mkdtemp(dir)) return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/footage", dir);
    if (mkdir(path, 0755)) return -1;
    for (int i = 0; i < N_CLIPS; i++) {
        snprintf(path, sizeof path, "%s/footage/c%03d.wav", dir, i);
        if (write_file(path, "RIFF")) return -1;
    }
    snprintf(path, sizeof path, "%s/reel.yaml", dir);
    return write_file(path, "footage: [footage]\n");
}

typedef struct sample {
    double wall, cpu;       /* around reel_run() */
    double rep_wall;        /* as reported in the summary */
    reel_run_summary s;
} sample;

static int run_once(const char *dir, sample *out)
{
    reel_project p;
    memset(&p, 0, sizeof p);
    reel_err e = {0};
    if (reel_project_load(&p, dir, bench_agents, &e) || reel_project_scan(&p, &e)) {
        fprintf(stderr, "bench_orch: cannot load project %s: %s\n", dir, e.msg);
        reel_project_free(&p);
        return -1;
    }
    if (p.n_clips != N_CLIPS) {
        fprintf(stderr, "bench_orch: scan found %d clips, expected %d\n", p.n_clips, N_CLIPS);
        reel_project_free(&p);
        return -1;
    }
    reel_run_opts o = {.threads = 2};
    memset(&out->s, 0, sizeof out->s);
    double c0 = cpu_s(), t0 = now_s();
    int rc = reel_run(&p, &o, &out->s, &e);
    out->wall = now_s() - t0;
    out->cpu = cpu_s() - c0;
    out->rep_wall = out->s.wall_seconds;
    reel_project_free(&p);
    if (rc) {
        fprintf(stderr, "bench_orch: reel_run failed (%d): %s\n", rc, e.msg);
        return -1;
    }
    return 0;
}

static int cmp_sample(const void *a, const void *b)
{
    double x = ((const sample *)a)->wall, y = ((const sample *)b)->wall;
    return (x > y) - (x < y);
}

static void print_row(const char *label, int rep, const sample *s)
{
    printf("%-6s %3d %9.3f %9.3f %8.3f %6d %6d %6d %6d %6d\n", label, rep, s->wall, s->cpu,
           s->wall * 1000.0 / (s->s.total ? s->s.total : 1), s->s.total, s->s.ran, s->s.cached,
           s->s.failed, s->s.skipped);
}

/* The filesystem floor, measured beside the orchestrator on the same file system: per task the
 * least any cache must do, i.e. create and write a tiny file, then rename it into a cache folder
 * (no fsync, no database). Returns wall seconds for n tasks, or <0. */
static double fs_floor(const char *base, int n)
{
    char dir[4096], path[4300], dst[4300];
    snprintf(dir, sizeof dir, "%s/reel-bench-fsfloor-XXXXXX", base);
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/cache", dir);
    if (mkdir(path, 0755)) return -1;
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/t%04d.txt", dir, i);
        snprintf(dst, sizeof dst, "%s/cache/%04d.txt", dir, i);
        FILE *f = fopen(path, "w");
        if (!f) return -1;
        fprintf(f, "a c%03d\n", i % N_CLIPS);
        if (fclose(f) || rename(path, dst)) return -1;
    }
    double w = now_s() - t0;
    rm_rf(dir);
    return w;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Cold + warm runs, n_rep times, on fresh projects under base. Medians in *mc, *mw. */
static int bench_on(const char *base, const char *label, int n_rep, sample *mc, sample *mw,
                    double *floor_s)
{
    sample cold[N_REPEAT], warm[N_REPEAT];
    double fl[N_REPEAT];
    char dirs[N_REPEAT][4096];
    int bad = 0, made = 0;

    printf("[%s] projects under %s\n", label, base);
    printf("%-6s %3s %9s %9s %8s %6s %6s %6s %6s %6s\n", "run", "#", "wall_s", "cpu_s",
           "ms/task", "total", "ran", "cached", "failed", "skip");
    for (int r = 0; r < n_rep && !bad; r++) {
        if (make_project(base, dirs[r], sizeof dirs[r])) {
            fprintf(stderr, "bench_orch: cannot create a temp project under %s: %s\n", base,
                    strerror(errno));
            bad = 2;
            break;
        }
        made++;
        if (run_once(dirs[r], &cold[r]) || run_once(dirs[r], &warm[r])) {
            bad = 2;
            break;
        }
        fl[r] = fs_floor(base, 2 * N_CLIPS);
        print_row("cold", r + 1, &cold[r]);
        print_row("warm", r + 1, &warm[r]);
        printf("%-6s %3d %9.3f %9s %8.3f\n", "floor", r + 1, fl[r], "", fl[r] * 1000.0 / (2 * N_CLIPS));
        if (cold[r].s.total != 2 * N_CLIPS || cold[r].s.ran != 2 * N_CLIPS) {
            fprintf(stderr, "bench_orch: cold run %d: total %d ran %d, expected %d/%d\n", r + 1,
                    cold[r].s.total, cold[r].s.ran, 2 * N_CLIPS, 2 * N_CLIPS);
            bad = 1;
        }
        if (warm[r].s.ran != 0 || warm[r].s.cached != 2 * N_CLIPS) {
            fprintf(stderr, "bench_orch: warm run %d: ran %d cached %d, expected 0/%d\n", r + 1,
                    warm[r].s.ran, warm[r].s.cached, 2 * N_CLIPS);
            bad = 1;
        }
        char pub[4200];
        snprintf(pub, sizeof pub, "%s/out/b/c%03d.txt", dirs[r], N_CLIPS - 1);
        if (access(pub, R_OK)) {
            fprintf(stderr, "bench_orch: published output %s missing\n", pub);
            bad = 1;
        }
        if (fl[r] < 0) {
            fprintf(stderr, "bench_orch: the file-system floor could not run under %s\n", base);
            bad = 1;
        }
    }
    /* removed only at the end: deleting thousands of inodes between repeats would slow the next
     * repeat's inode allocation on some file systems (ext4 without a journal) */
    for (int r = 0; r < made; r++) rm_rf(dirs[r]);
    if (bad) {
        fprintf(stderr, "bench_orch: the runs did not do what the bench expects; figures invalid\n");
        return 2;
    }
    qsort(cold, n_rep, sizeof cold[0], cmp_sample);
    qsort(warm, n_rep, sizeof warm[0], cmp_sample);
    qsort(fl, n_rep, sizeof fl[0], cmp_double);
    *mc = cold[n_rep / 2];
    *mw = warm[n_rep / 2];
    *floor_s = fl[n_rep / 2];
    printf("median cold: %.3f s wall, %.3f s cpu, %.3f ms/task overhead (%d ran)\n", mc->wall,
           mc->cpu, mc->wall * 1000.0 / mc->s.total, mc->s.ran);
    printf("median warm: %.3f s wall, %.3f s cpu, %.3f ms/task overhead (%d ran, %d cached)\n",
           mw->wall, mw->cpu, mw->wall * 1000.0 / mw->s.total, mw->s.ran, mw->s.cached);
    printf("median fs floor (create+rename x%d): %.3f s; cold/floor %.1fx\n\n", 2 * N_CLIPS,
           *floor_s, *floor_s > 0 ? mc->wall / *floor_s : 0);
    return 0;
}

int main(void)
{
    reel_init();
    reel_log_set_sink(NULL, NULL, REEL_LOG_ERROR);
    const char *base = tmp_base();
    sample mc, mw, sc, sw;
    double fl = 0, sfl = 0;
    int have_shm = 0;

    printf("bench_orch: %d clips x 2 no-op agents = %d tasks, threads 2, %d repeats\n\n", N_CLIPS,
           2 * N_CLIPS, N_REPEAT);
    int rc = bench_on(base, "target", N_REPEAT, &mc, &mw, &fl);
    if (rc) return rc;
    /* Informative: the same on tmpfs, to separate the orchestrator's own cost from the disk's. */
    if (strcmp(base, "/dev/shm") && !access("/dev/shm", W_OK) && !getenv("REEL_BENCH_NO_SHM"))
        have_shm = !bench_on("/dev/shm", "tmpfs, informative", N_REPEAT, &sc, &sw, &sfl);

    printf("peak RSS (ru_maxrss): %ld KiB\n", maxrss_kb());
    printf("summary: cold %.3f s (%.3f ms/task), warm %.3f s (%.3f ms/task, ran %d), fs floor %.3f s "
           "on %s", mc.wall, mc.wall * 1000.0 / mc.s.total, mw.wall, mw.wall * 1000.0 / mw.s.total,
           mw.s.ran, fl, base);
    if (have_shm)
        printf("; tmpfs: cold %.3f s, warm %.3f s, floor %.3f s", sc.wall, sw.wall, sfl);
    printf("\n\n");
    printf("TARGET orch_1000_noop_cold: %.2f s (target < %.0f s) %s\n", mc.wall, TARGET_S,
           mc.wall < TARGET_S ? "PASS" : "FAIL");
    printf("TARGET orch_1000_noop_warm: %.2f s (target < %.0f s) %s\n", mw.wall, TARGET_S,
           mw.wall < TARGET_S ? "PASS" : "FAIL");
    return 0;
}
