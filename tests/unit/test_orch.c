/* Unit tests of the orchestrator through its real engine (real SQLite, real files, real worker
 * threads) with a small table of test agents whose work is trivial but whose invocations are
 * counted: cache hits, exact re-runs on variable and option changes, content addressing, failure
 * isolation, budget, the lock, cancellation, publishing and thread-count determinism. */
#include "orch/lock.h"
#include "orch/orch.h"
#include "tap.h"
#include "util/fsutil.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int n_gen, n_tint, n_sum;

static int write_text(reel_task *t, const char *path, const char *text)
{
    return reel_write_atomic(path, text, strlen(text), reel_task_err(t));
}

static int gen_run(reel_task *t)
{
    atomic_fetch_add(&n_gen, 1);
    const char *name = reel_task_clip_name(t);
    if (!strncmp(name, "bad", 3)) return reel_task_fail(t, REEL_EMEDIA, "%s: cannot read", name);
    char buf[256];
    snprintf(buf, sizeof buf, "gen(%s)", name);
    return write_text(t, reel_task_output(t, "g", "g.txt", NULL), buf);
}

static int tint_run(reel_task *t)
{
    atomic_fetch_add(&n_tint, 1);
    char *in = NULL, buf[512], pub[256];
    if (reel_read_file(reel_task_input(t, "g", 0), &in, NULL, reel_task_err(t))) return REEL_EIO;
    snprintf(buf, sizeof buf, "%s+%s", in, reel_task_var(t, "time_of_day"));
    free(in);
    snprintf(pub, sizeof pub, "tint/%s.txt", reel_task_clip_name(t));
    return write_text(t, reel_task_output(t, "t", "t.txt", pub), buf);
}

static int sum_run(reel_task *t)
{
    atomic_fetch_add(&n_sum, 1);
    char buf[4096] = "";
    for (int i = 0; i < reel_task_n_inputs(t); i++) {
        char *in = NULL;
        if (reel_read_file(reel_task_input(t, "t", i), &in, NULL, reel_task_err(t))) return REEL_EIO;
        strncat(buf, in, sizeof buf - strlen(buf) - 2);
        strcat(buf, "\n");
        free(in);
    }
    return write_text(t, reel_task_output(t, "s", "sum.txt", "sum.txt"), buf);
}

static const reel_option gen_opts[] = {
    {"salt", REEL_OPT_INT, "0", 0, 100, NULL, "changes the key, not the output"}, {NULL}};
static const reel_option no_opts[] = {{NULL}};
static const char *const gen_reads[] = {REEL_KIND_SOURCE, NULL}, *const gen_writes[] = {"g", NULL};
static const char *const tint_reads[] = {"g", NULL}, *const tint_writes[] = {"t", NULL};
static const char *const tint_vars[] = {"time_of_day", NULL};
static const char *const sum_reads[] = {"t", NULL}, *const sum_writes[] = {"s", NULL};

static const reel_agent gen = {"gen", 1, "test", REEL_SCOPE_CLIP, gen_opts, gen_reads, gen_writes, NULL, NULL, gen_run};
static const reel_agent tint = {"tint", 1, "test", REEL_SCOPE_CLIP, no_opts, tint_reads, tint_writes, tint_vars, NULL, tint_run};
static const reel_agent sum = {"sum", 1, "test", REEL_SCOPE_PROJECT, no_opts, sum_reads, sum_writes, NULL, NULL, sum_run};
static const reel_agent *const agents[] = {&gen, &tint, &sum, NULL};

static char root[64];

static void put(const char *dir, const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    char *slash = strrchr(p, '/');
    *slash = 0;
    reel_mkdirs(p, NULL);
    *slash = '/';
    reel_write_atomic(p, text, strlen(text), NULL);
}

static void make_project(const char *dir, const char *extra)
{
    put(dir, "footage/a.wav", "aaaa");
    put(dir, "footage/b.wav", "bbbb");
    put(dir, "footage/c.wav", "cccc");
    char yaml[512];
    snprintf(yaml, sizeof yaml, "footage: [footage]\n%s", extra);
    put(dir, "reel.yaml", yaml);
}

typedef struct counts {
    int gen, tint, sum;
    reel_run_summary s;
    int rc;
    char msg[1024];
} counts;

static counts run(const char *dir, int threads, volatile int *cancel)
{
    counts c = {0};
    atomic_store(&n_gen, 0), atomic_store(&n_tint, 0), atomic_store(&n_sum, 0);
    reel_project p;
    reel_err e = {0};
    c.rc = reel_project_load(&p, dir, agents, &e);
    if (!c.rc) c.rc = reel_project_scan(&p, &e);
    reel_run_opts o = {.threads = threads, .cancel = cancel};
    if (!c.rc) c.rc = reel_run(&p, &o, &c.s, &e);
    reel_project_free(&p);
    snprintf(c.msg, sizeof c.msg, "%s", e.msg);
    c.gen = atomic_load(&n_gen), c.tint = atomic_load(&n_tint), c.sum = atomic_load(&n_sum);
    return c;
}

static char *slurp(const char *dir, const char *rel)
{
    char p[512], *text = NULL;
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    reel_read_file(p, &text, NULL, NULL);
    return text;
}

static void test_cache_and_variables(const char *dir)
{
    make_project(dir, "");
    counts c = run(dir, 2, NULL);
    TAP_OK(c.rc == 0 && c.s.ran == 7 && c.gen == 3 && c.tint == 3 && c.sum == 1, "first run runs all 7 tasks (%s)", c.msg);
    char *s = slurp(dir, "out/sum.txt");
    TAP_EQ_STR(s, "gen(a)+noon\ngen(b)+noon\ngen(c)+noon\n", "the fan-in task sees every clip in order");
    free(s);
    c = run(dir, 2, NULL);
    TAP_OK(c.rc == 0 && c.s.ran == 0 && c.s.cached == 7 && c.gen + c.tint + c.sum == 0,
           "a second run with nothing changed runs zero tasks");
    reel_err e = {0};
    reel_project_set_var(dir, "time_of_day", "sunset", agents, &e);
    c = run(dir, 2, NULL);
    TAP_OK(c.gen == 0 && c.tint == 3 && c.sum == 1 && c.s.cached == 3,
           "changing time_of_day reruns exactly its readers and their dependents (gen %d tint %d sum %d)",
           c.gen, c.tint, c.sum);
    s = slurp(dir, "out/tint/b.txt");
    TAP_EQ_STR(s, "gen(b)+sunset", "the published output follows the variable");
    free(s);
    reel_project_set_var(dir, "mood", "tense", agents, &e);
    c = run(dir, 2, NULL);
    TAP_OK(c.s.ran == 0, "a variable no agent reads reruns nothing");
    put(dir, "reel.yaml", "footage: [footage]\nvariables: {time_of_day: sunset, mood: tense}\n"
                          "agents:\n  gen:\n    salt: 7\n");
    c = run(dir, 2, NULL);
    TAP_OK(c.gen == 3 && c.tint == 0 && c.sum == 0,
           "an option change reruns that agent; identical output keeps dependents cached (content addressing)");
    put(dir, "footage/b.wav", "changed");
    c = run(dir, 2, NULL);
    TAP_OK(c.gen == 1 && c.tint == 0 && c.sum == 0, "a changed source reruns only its clip's task whose key reads it");
}

static void test_publish_restore(const char *dir)
{
    char p[512];
    snprintf(p, sizeof p, "%s/out/tint/a.txt", dir);
    unlink(p);
    counts c = run(dir, 2, NULL);
    TAP_OK(c.s.ran == 0 && reel_file_exists(p), "a deleted deliverable is restored from the cache without work");
    put(dir, "out/tint/a.txt", "user scribbled here");
    c = run(dir, 2, NULL);
    char *s = slurp(dir, "out/tint/a.txt");
    TAP_EQ_STR(s, "gen(a)+sunset", "a modified deliverable is put back to the committed artifact");
    free(s);
}

static void test_failure(const char *dir)
{
    make_project(dir, "");
    put(dir, "footage/bad.wav", "x");
    counts c = run(dir, 2, NULL);
    TAP_OK(c.rc == 0 && c.s.failed == 1 && c.s.skipped == 1 && c.s.ran == 7,
           "a failing clip fails alone, its dependent is skipped, the rest runs (ran %d failed %d skipped %d)",
           c.s.ran, c.s.failed, c.s.skipped);
    char *s = slurp(dir, "out/sum.txt");
    TAP_OK(s && !strstr(s, "bad") && strstr(s, "gen(c)"), "the fan-in task goes on with the readable clips");
    free(s);
    reel_project p;
    reel_err e = {0};
    reel_project_load(&p, dir, agents, &e);
    reel_status st;
    reel_status_read(&p, &st, NULL, NULL, &e);
    TAP_OK(st.by_state[REEL_TS_FAILED] == 1 && st.by_state[REEL_TS_SKIPPED] == 1, "status records failed and skipped");
    reel_project_free(&p);
    c = run(dir, 2, NULL);
    TAP_OK(c.gen == 1 && c.s.failed == 1 && c.s.cached == 7, "a failed task is retried next run, the rest is cached");
}

static void test_budget_lock_cancel(const char *dir)
{
    make_project(dir, "budget: {cpu_seconds: 0.000001}\n");
    counts c = run(dir, 1, NULL);
    TAP_OK(c.rc == 0 && c.s.budget_hit && c.s.ran == 0 && c.s.skipped == 7,
           "a spent budget stops new work and says so (ran %d skipped %d)", c.s.ran, c.s.skipped);
    make_project(dir, "budget: {cpu_seconds: 0}\n");
    c = run(dir, 1, NULL);
    TAP_OK(c.s.ran == 7 && !c.s.budget_hit, "raising the budget lets the run finish");
    make_project(dir, "");
    c = run(dir, 2, NULL);
    reel_err e = {0};
    int fd = reel_lock_acquire(dir, 0, &e);
    c = run(dir, 2, NULL);
    TAP_OK(c.rc == REEL_EBUSY && strstr(c.msg, "busy"), "a second run on a locked project refuses: %s", c.msg);
    reel_lock_release(fd);
    volatile int cancel = 1;
    put(dir, "footage/d.wav", "dddd");
    c = run(dir, 2, &cancel);
    TAP_OK(c.rc == REEL_ECANCEL && c.gen == 0, "a cancelled run starts nothing and says so");
    put(dir, ".reel/tmp/stale/x.partial", "junk");
    c = run(dir, 2, NULL);
    char stale[512];
    snprintf(stale, sizeof stale, "%s/.reel/tmp/stale", dir);
    TAP_OK(c.rc == 0 && c.gen == 1 && !reel_file_exists(stale), "the next run resumes and clears stale partial files");
}

static void test_threads(const char *a, const char *b)
{
    make_project(a, "");
    make_project(b, "");
    counts c1 = run(a, 1, NULL), c2 = run(b, 2, NULL);
    char *s1 = slurp(a, "out/sum.txt"), *s2 = slurp(b, "out/sum.txt");
    TAP_OK(c1.rc == 0 && c2.rc == 0 && s1 && s2 && !strcmp(s1, s2), "1 and 2 threads give identical outputs");
    free(s1), free(s2);
}

static void test_plan(const char *dir)
{
    make_project(dir, "");
    reel_project p;
    reel_err e = {0};
    reel_project_load(&p, dir, agents, &e);
    reel_project_scan(&p, &e);
    reel_plan_item *it = NULL;
    int n = 0;
    TAP_EQ_INT(reel_plan(&p, &it, &n, &e), 0, "plan");
    TAP_EQ_INT(n, 7, "plan has 3 + 3 + 1 tasks");
    TAP_OK(n == 7 && it[6].n_deps == 3 && it[3].n_deps == 1, "the fan-in waits for every clip");
    free(it);
    reel_project_free(&p);
    run(dir, 2, NULL);
    reel_project_load(&p, dir, agents, &e);
    reel_project_scan(&p, &e);
    reel_plan(&p, &it, &n, &e);
    int cached = 0;
    for (int i = 0; i < n; i++) cached += it[i].cached;
    TAP_EQ_INT(cached, 7, "after a run the plan shows every task cached");
    free(it);
    reel_project_free(&p);
}

int main(void)
{
    reel_init();
    snprintf(root, sizeof root, "/tmp/reel-orch-XXXXXX");
    if (!mkdtemp(root)) return 1;
    char d1[128], d2[128], d3[128], d4[128], d5[128], d6[128];
    snprintf(d1, sizeof d1, "%s/p1", root);
    snprintf(d2, sizeof d2, "%s/p2", root);
    snprintf(d3, sizeof d3, "%s/p3", root);
    snprintf(d4, sizeof d4, "%s/p4", root);
    snprintf(d5, sizeof d5, "%s/p5", root);
    snprintf(d6, sizeof d6, "%s/p6", root);
    test_cache_and_variables(d1);
    test_publish_restore(d1);
    test_failure(d2);
    test_budget_lock_cancel(d3);
    test_threads(d4, d5);
    test_plan(d6);
    reel_rmtree(root, NULL);
    return tap_done();
}
