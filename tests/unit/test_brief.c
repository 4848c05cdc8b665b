/* Unit tests: the brief (reel.yaml): loading, every kind of error with file:line and key, `reel
 * init` output loading back, `reel set` editing in place, footage scanning, the reference. */
#include "project/brief.h"
#include "tap.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[64];

static void write_brief(const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/reel.yaml", g_dir);
    reel_write_atomic(path, text, strlen(text), NULL);
}

static int load(const char *text, reel_project *p, reel_err *e)
{
    write_brief(text);
    memset(e, 0, sizeof *e);
    return reel_project_load(p, g_dir, reel_builtin_agents, e);
}

static const struct {
    const char *yaml, *want1, *want2; /* the error must contain both */
} bad[] = {
    {"footage: [footage]\nfootgae: x\n", "reel.yaml:2", "unknown key 'footgae'"},
    {"footage: [footage]\nvariables:\n\ttime_of_day: noon\n", "reel.yaml:3", "tab"},
    {"footage: [footage]\nbudget:\n  cpu_seconds: -5\n", "reel.yaml:3", "cpu_seconds"},
    {"footage: [footage]\nthreads: lots\n", "reel.yaml:2", "threads"},
    {"footage: [footage]\nthreads: 1000\n", "reel.yaml:2", "0..256"},
    {"footage: [footage]\nvariables:\n  time_of_day: teatime\n", "reel.yaml:3", "golden_hour"},
    {"footage: [footage]\nvariables:\n  Mood: x\n", "reel.yaml:3", "not a valid variable name"},
    {"footage: [footage]\nagents:\n  ingest:\n    analysis_width: 5\n", "reel.yaml:4", "analysis_width"},
    {"footage: [footage]\nagents:\n  ingset: {}\n", "reel.yaml:3", "unknown key 'ingset'"},
    {"footage: [footage]\nagents:\n  ingest:\n    widht: 5\n", "reel.yaml:4", "agents.ingest"},
    {"footage: [footage]\ndeliveries:\n  - container: mp4\n", "reel.yaml:3", "needs 'name'"},
    {"footage: [footage]\ndeliveries:\n  - name: a\n    video_codec: vp9\n", "reel.yaml:4", "h264"},
    {"footage: [footage]\ndeliveries:\n  - name: a\n  - name: a\n", "reel.yaml:4", "two deliveries"},
    {"title: x\n", "reel.yaml", "'footage' is missing"},
    {"- a\n- b\n", "reel.yaml:1", "mapping"},
    {"footage: [footage]\ntitle: a\ntitle: b\n", "reel.yaml:3", "appears twice"},
    {"footage: &a [footage]\nlooks: *a\n", "reel.yaml:2", "alias"},
    {"footage: [footage\n", "reel.yaml", "flow"},
    {"footage: [footage]\nvariables: [a, b]\n", "reel.yaml:2", "variables"},
    {"footage: [footage]\n---\nfootage: [x]\n", "reel.yaml", "one YAML document"},
};

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reel_project p;
        reel_err e;
        int rc = load(bad[i].yaml, &p, &e);
        TAP_OK(rc == REEL_ECONFIG && strstr(e.msg, bad[i].want1) && strstr(e.msg, bad[i].want2),
               "bad brief %zu refused: %s", i, e.msg);
        reel_project_free(&p);
    }
}

static void test_good(void)
{
    reel_project p;
    reel_err e;
    int rc = load("title: \"Night Shift\"\nfootage:\n  - footage\n  - /abs/clip.mov\nscreenplay: s.fountain\n"
                  "variables:\n  time_of_day: sunset\n  mood: tense\ndeliveries:\n  - name: web\n"
                  "    fps: 29.97\n  - name: master\n    container: mov\n    video_codec: prores_hq\n"
                  "budget:\n  cpu_seconds: 120\nthreads: 2\nagents:\n  ingest:\n    analysis_width: 160\n",
                  &p, &e);
    TAP_EQ_INT(rc, 0, "a full brief loads (%s)", e.msg);
    if (rc) return;
    TAP_EQ_STR(reel_opts_str(&p.top, "title"), "Night Shift", "title");
    TAP_EQ_INT(p.n_footage, 2, "two footage entries");
    TAP_OK(p.footage[0][0] == '/' && strstr(p.footage[0], "/footage"), "relative footage resolved");
    TAP_EQ_STR(p.footage[1], "/abs/clip.mov", "absolute footage kept");
    TAP_EQ_STR(reel_project_var(&p, "time_of_day"), "sunset", "builtin variable");
    TAP_EQ_STR(reel_project_var(&p, "mood"), "tense", "user variable");
    TAP_EQ_INT(p.n_deliveries, 2, "two deliveries");
    TAP_EQ_STR(reel_opts_str(&p.deliveries[0].opts, "fps"), "30000/1001", "29.97 is exact NTSC");
    TAP_EQ_STR(reel_opts_str(&p.deliveries[0].opts, "container"), "mp4", "delivery default");
    TAP_OK(reel_opts_float(&p.budget, "cpu_seconds") == 120, "budget");
    const reel_opts *io = reel_project_agent_opts(&p, reel_agent_find(reel_builtin_agents, "ingest"));
    TAP_EQ_INT(reel_opts_int(io, "analysis_width"), 160, "agent option");
    reel_project_free(&p);
    rc = load("footage: footage\n", &p, &e);
    TAP_EQ_INT(rc, 0, "a minimal brief loads");
    TAP_EQ_STR(reel_project_var(&p, "time_of_day"), "noon", "builtin variables get their default");
    reel_project_free(&p);
}

static void touch(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", g_dir, rel);
    char *slash = strrchr(path, '/');
    *slash = 0;
    reel_mkdirs(path, NULL);
    *slash = '/';
    reel_write_atomic(path, "x", 1, NULL);
}

static void test_init_scan(void)
{
    touch("footage/day1/A001_C002.mov");
    touch("footage/day2/A001_C002.mov");
    touch("footage/day2/notes.txt");
    touch("footage/.hidden.mov");
    touch("footage/b.MXF");
    char yaml[256];
    snprintf(yaml, sizeof yaml, "%s/reel.yaml", g_dir);
    unlink(yaml);
    char foot[256];
    snprintf(foot, sizeof foot, "%s/footage", g_dir);
    const char *fl[] = {foot};
    reel_err e = {0};
    TAP_EQ_INT(reel_project_init(g_dir, fl, 1, NULL, NULL, 0, NULL, &e), 0, "init writes a brief (%s)", e.msg);
    TAP_EQ_INT(reel_project_init(g_dir, fl, 1, NULL, NULL, 0, NULL, &e), REEL_EINVAL, "init refuses to overwrite");
    const char *missing[] = {"/nonexistent/rushes"};
    TAP_EQ_INT(reel_project_init(g_dir, missing, 1, NULL, NULL, 0, NULL, &e), REEL_ENOTFOUND, "init names missing footage");
    char *text = NULL;
    reel_read_file(yaml, &text, NULL, &e);
    TAP_OK(text && strstr(text, "  - footage\n") && strstr(text, "# Time of day"),
           "init writes footage relative and documents keys");
    free(text);
    reel_project p;
    TAP_EQ_INT(reel_project_load(&p, g_dir, reel_builtin_agents, &e), 0, "init's brief loads back (%s)", e.msg);
    TAP_EQ_INT(reel_project_scan(&p, &e), 0, "scan");
    TAP_EQ_INT(p.n_clips, 3, "three media files found, hidden and non-media ignored");
    if (p.n_clips == 3) {
        TAP_EQ_STR(p.clips[0].name, "b", "sorted by path");
        TAP_EQ_STR(p.clips[1].name, "A001_C002", "first of two same-named clips");
        TAP_EQ_STR(p.clips[2].name, "A001_C002-2", "second gets a unique name");
    }
    reel_project_free(&p);
}

static void test_set(void)
{
    char yaml[256];
    snprintf(yaml, sizeof yaml, "%s/reel.yaml", g_dir);
    reel_err e = {0};
    TAP_EQ_INT(reel_project_set_var(g_dir, "time_of_day", "sunset", reel_builtin_agents, &e), 0,
               "set a builtin variable (%s)", e.msg);
    TAP_EQ_INT(reel_project_set_var(g_dir, "mood", "quiet dread: 2", reel_builtin_agents, &e), 0,
               "add a user variable needing quotes");
    char *before = NULL, *after = NULL;
    reel_read_file(yaml, &before, NULL, &e);
    TAP_EQ_INT(reel_project_set_var(g_dir, "time_of_day", "teatime", reel_builtin_agents, &e), REEL_EINVAL,
               "an invalid value is refused");
    TAP_OK(strstr(e.msg, "blue_hour") != NULL, "the refusal lists the valid values");
    reel_read_file(yaml, &after, NULL, &e);
    TAP_OK(before && after && !strcmp(before, after), "a refused set leaves the file byte-identical");
    TAP_OK(after && strstr(after, "# reel brief") && strstr(after, "# Time of day"), "comments survive");
    free(before), free(after);
    reel_project p;
    reel_project_load(&p, g_dir, reel_builtin_agents, &e);
    TAP_EQ_STR(reel_project_var(&p, "time_of_day"), "sunset", "value reads back");
    TAP_EQ_STR(reel_project_var(&p, "mood"), "quiet dread: 2", "user value reads back");
    reel_project_free(&p);
    const char *forms[] = {"footage: [footage]\n", "footage: [footage]\nvariables:\n",
                           "footage: [footage]\nvariables: {a: b}\n",
                           "footage: [footage]\nvariables:\n  a: b # note\nthreads: 1\n"};
    for (size_t i = 0; i < 4; i++) {
        write_brief(forms[i]);
        int rc = reel_project_set_var(g_dir, "time_of_day", "night", reel_builtin_agents, &e);
        rc = rc ? rc : reel_project_load(&p, g_dir, reel_builtin_agents, &e);
        TAP_OK(!rc && !strcmp(reel_project_var(&p, "time_of_day"), "night"), "set into brief form %zu (%s)", i,
               rc ? e.msg : "");
        if (!rc) reel_project_free(&p);
    }
}

static void test_reference(void)
{
    char *md = reel_brief_reference_md(reel_builtin_agents);
    TAP_OK(md && strstr(md, "`agents.ingest.analysis_width`") && strstr(md, "`budget.cpu_seconds`") &&
               strstr(md, "`variables.time_of_day`"),
           "the reference covers every table");
    free(md);
}

int main(void)
{
    reel_init();
    snprintf(g_dir, sizeof g_dir, "/tmp/reel-brief-XXXXXX");
    if (!mkdtemp(g_dir)) return 1;
    test_errors();
    test_good();
    test_init_scan();
    test_set();
    test_reference();
    reel_rmtree(g_dir, NULL);
    return tap_done();
}
