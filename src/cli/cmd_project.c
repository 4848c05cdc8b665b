/* Project commands: init, plan, status, set, agents. */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_json(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
    if (s) printf("%s\n", s);
    free(s);
    json_decref(o);
}

int cmd_init(int argc, char **argv)
{
    static const struct option lo[] = {{"footage", required_argument, 0, 'f'},
                                       {"screenplay", required_argument, 0, 's'},
                                       {"look", required_argument, 0, 'l'},
                                       {"delivery", required_argument, 0, 'd'},
                                       {"help", no_argument, 0, 'h'}, {0}};
    const char *footage[64], *looks[64], *delivery[33] = {NULL}, *screenplay = NULL;
    int nf = 0, nl = 0, nd = 0, c;
    while ((c = getopt_long(argc, argv, "f:s:l:d:h", lo, NULL)) != -1) {
        if (c == 'f' && nf < 64) footage[nf++] = optarg;
        else if (c == 'd' && nd < 32) delivery[nd++] = optarg;
        else if (c == 's') screenplay = optarg;
        else if (c == 'l' && nl < 64) looks[nl++] = optarg;
        else if (c == 'h') {
            printf("usage: reel init DIR --footage PATH [--footage PATH...] [--screenplay FILE]\n"
                   "                [--look STILL...] [--delivery FIELD=VALUE...]\n\n"
                   "Creates DIR/reel.yaml, a commented brief that documents every key. The footage\n"
                   "is referenced where it lies: reel never copies, moves or writes camera originals.\n"
                   "--look names a reference still or clip the colour agent grades toward.\n"
                   "--delivery sets a field of the brief's one delivery, \"web\" (default: H.264 MP4,\n"
                   "1920x1080 at 24 fps, AAC at EBU R128), e.g. --delivery video_codec=prores_hq\n"
                   "--delivery container=mov --delivery fps=25; add more deliveries in reel.yaml.\n");
            return 0;
        } else return cli_usage("init", "unknown option");
    }
    if (optind != argc - 1) return cli_usage("init", "name one project folder");
    if (nf == 0) return cli_usage("init", "--footage PATH is required (the camera originals)");
    reel_err e = {0};
    if (reel_project_init(argv[optind], footage, nf, screenplay, looks, nl, delivery, &e)) return cli_fail(&e);
    if (!g_cli.quiet)
        printf("created %s/reel.yaml\nnext: `reel plan %s` to see the work, `reel run %s` to do it\n",
               argv[optind], argv[optind], argv[optind]);
    return 0;
}

static void plan_text(const reel_project *p, const reel_plan_item *it, int n)
{
    double est = 0;
    int cached = 0;
    printf("%-40s %-10s %10s  %s\n", "task", "status", "est. CPU s", "waits for");
    for (int i = 0; i < n; i++) {
        printf("%-40s %-10s %10.1f  ", it[i].id, it[i].cached ? "cached" : "to run", it[i].estimate);
        for (int d = 0; d < it[i].n_deps && d < 3; d++) printf("%s%s", d ? ", " : "", it[it[i].deps[d]].id);
        if (it[i].n_deps > 3) printf(" and %d more", it[i].n_deps - 3);
        printf("\n");
        if (!it[i].cached) est += it[i].estimate;
        cached += it[i].cached;
    }
    double budget = reel_opts_float(&p->budget, "cpu_seconds");
    printf("\n%d tasks over %d clips: %d cached, %d to run, about %.1f CPU s", n, p->n_clips, cached,
           n - cached, est);
    if (budget > 0) printf(" (budget %.0f CPU s)", budget);
    printf("\n");
}

int cmd_plan(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: reel plan DIR [--json]\n\nPrints the task graph `reel run` would execute: one "
               "task per agent and clip,\nwhat each waits for, whether its result is already "
               "cached, and its estimated cost.\n");
        return 0;
    }
    if (argc != 2) return cli_usage("plan", "name one project folder");
    reel_project p;
    int rc = cli_load(&p, argv[1], 1);
    if (rc) return rc;
    reel_plan_item *it = NULL;
    int n = 0;
    reel_err e = {0};
    if (reel_plan(&p, &it, &n, &e)) {
        reel_project_free(&p);
        return cli_fail(&e);
    }
    if (g_cli.json) {
        for (int i = 0; i < n; i++) {
            json_t *deps = json_array();
            for (int d = 0; d < it[i].n_deps; d++) json_array_append_new(deps, json_string(it[it[i].deps[d]].id));
            print_json(json_pack("{s:s,s:s,s:s,s:b,s:f,s:o}", "type", "task", "id", it[i].id, "agent",
                                 it[i].agent->name, "cached", it[i].cached, "estimate_cpu_s",
                                 it[i].estimate, "deps", deps));
        }
    } else {
        plan_text(&p, it, n);
    }
    free(it);
    reel_project_free(&p);
    return 0;
}

int cmd_run(int argc, char **argv)
{
    static const struct option lo[] = {{"threads", required_argument, 0, 't'},
                                       {"wait", no_argument, 0, 'w'},
                                       {"help", no_argument, 0, 'h'}, {0}};
    int threads = 0, wait = 0, c;
    while ((c = getopt_long(argc, argv, "t:wh", lo, NULL)) != -1) {
        if (c == 't') threads = atoi(optarg);
        else if (c == 'w') wait = 1;
        else if (c == 'h') {
            printf("usage: reel run DIR [--threads N] [--wait] [--json]\n\n"
                   "Runs every task of the plan. Results are cached by content: a second run with\n"
                   "nothing changed does no work, and a run killed at any moment resumes where it\n"
                   "stopped. Deliverables appear under DIR/out/ only once complete.\n"
                   "  --threads N  worker threads (default: the brief's threads, else every core)\n"
                   "  --wait       wait for another run of the same project instead of refusing\n"
                   "  --json       one JSON object per event on stdout\n");
            return 0;
        } else return cli_usage("run", "unknown option");
    }
    if (optind != argc - 1) return cli_usage("run", "name one project folder");
    if (threads < 0 || threads > 256) return cli_usage("run", "--threads takes 1..256");
    reel_project p;
    int rc = cli_load(&p, argv[optind], 1);
    if (rc) return rc;
    rc = cli_run_project(&p, threads, wait);
    reel_project_free(&p);
    return rc;
}

static void status_item(const char *id, const char *state, const char *msg, double cpu, void *op)
{
    if (g_cli.json) {
        print_json(json_pack("{s:s,s:s,s:s,s:s?,s:f}", "type", "task", "id", id, "state", state,
                             "message", msg, "cpu_s", cpu));
    } else if (g_cli.verbose || !strcmp(state, "failed") || !strcmp(state, "skipped") || (msg && *msg)) {
        printf("  %-40s %-8s %s\n", id, state, msg ? msg : "");
    }
}

int cmd_status(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: reel status DIR [--verbose] [--json]\n\nShows the state of each task of the "
               "latest run (failed and skipped ones always,\nall with --verbose), the last run, cache "
               "use and the CPU seconds spent against the budget.\n");
        return 0;
    }
    if (argc != 2) return cli_usage("status", "name one project folder");
    reel_project p;
    int rc = cli_load(&p, argv[1], 0);
    if (rc) return rc;
    reel_status s;
    reel_err e = {0};
    if (!g_cli.json) printf("%s\n", p.root);
    if ((rc = reel_status_read(&p, &s, status_item, NULL, &e))) {
        reel_project_free(&p);
        return cli_fail(&e);
    }
    if (g_cli.json) {
        print_json(json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:s,s:i,s:i,s:f,s:f,s:i,s:I}", "type", "status",
                             "tasks", s.n_tasks, "done", s.by_state[REEL_TS_DONE], "cached",
                             s.by_state[REEL_TS_CACHED], "failed", s.by_state[REEL_TS_FAILED], "skipped",
                             s.by_state[REEL_TS_SKIPPED], "pending", s.by_state[REEL_TS_WAITING] +
                             s.by_state[REEL_TS_READY] + s.by_state[REEL_TS_RUNNING], "runs", s.runs,
                             "last_run", s.last_run_status, "last_run_ran", s.last_run_ran,
                             "last_run_cached", s.last_run_cached, "cpu_spent_s", s.spent_total,
                             "budget_cpu_s", s.budget, "cache_objects", s.cache_objects,
                             "cache_bytes", (json_int_t)s.cache_bytes));
    } else if (s.runs == 0) {
        printf("no run yet: `reel run %s`\n", argv[1]);
    } else {
        printf("tasks: %d done, %d cached, %d failed, %d skipped, %d pending\n",
               s.by_state[REEL_TS_DONE], s.by_state[REEL_TS_CACHED], s.by_state[REEL_TS_FAILED],
               s.by_state[REEL_TS_SKIPPED], s.by_state[REEL_TS_WAITING] + s.by_state[REEL_TS_READY] +
               s.by_state[REEL_TS_RUNNING]);
        printf("last run: %s, %d ran, %d from cache, %.1f s\n", s.last_run_status, s.last_run_ran,
               s.last_run_cached, s.last_run_wall);
        printf("cache: %d objects, %.1f MB\n", s.cache_objects, s.cache_bytes / 1e6);
        if (s.budget > 0) printf("CPU: %.1f s spent of a %.0f s budget (%d runs)\n", s.spent_total, s.budget, s.runs);
        else printf("CPU: %.1f s spent, no budget set (%d runs)\n", s.spent_total, s.runs);
    }
    reel_project_free(&p);
    return 0;
}

int cmd_set(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 3) {
        printf("usage: reel set DIR NAME=VALUE [NAME=VALUE...]\n\nChanges scene variables in "
               "DIR/reel.yaml in place (comments kept). The next run\nredoes only the tasks that read "
               "a changed variable, and what depends on them.\nBuiltin: time_of_day (dawn, morning, "
               "noon, golden_hour, sunset, blue_hour, night,\nday_for_night). Any other lowercase "
               "name is a free-text variable.\n");
        return argc < 3 && !cli_wants_help(argc, argv) ? EXIT_USAGE : 0;
    }
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i]) return cli_usage("set", "'%s' is not NAME=VALUE", argv[i]);
        *eq = 0;
        reel_err e = {0};
        if (reel_project_set_var(argv[1], argv[i], eq + 1, reel_builtin_agents, &e)) return cli_fail(&e);
        if (!g_cli.quiet) printf("%s = %s\n", argv[i], eq + 1);
    }
    return 0;
}

static void agent_options(const reel_agent *a)
{
    printf("%s (v%d, %s): %s\n", a->name, a->version,
           a->scope == REEL_SCOPE_CLIP ? "one task per clip" : "one task per project", a->summary);
    printf("  reads: ");
    for (int i = 0; a->reads && a->reads[i]; i++) printf("%s%s", i ? ", " : "", a->reads[i]);
    printf("\n  writes: ");
    for (int i = 0; a->writes && a->writes[i]; i++) printf("%s%s", i ? ", " : "", a->writes[i]);
    printf("\n  variables: ");
    for (int i = 0; a->variables && a->variables[i]; i++) printf("%s%s", i ? ", " : "", a->variables[i]);
    printf("%s\n  options (reel.yaml: agents: %s: NAME: VALUE):\n", a->variables && a->variables[0] ? "" : "none", a->name);
    for (int i = 0; a->options[i].name; i++) {
        char type[512];
        reel_opt_describe_type(&a->options[i], type, sizeof type);
        printf("    %-16s %s, default %s\n      %s\n", a->options[i].name, type,
               a->options[i].def ? a->options[i].def : "(required)", a->options[i].help);
    }
}

static json_t *agent_json(const reel_agent *a)
{
    json_t *opts = json_array();
    for (int i = 0; a->options[i].name; i++) {
        char type[512];
        reel_opt_describe_type(&a->options[i], type, sizeof type);
        json_array_append_new(opts, json_pack("{s:s,s:s,s:s?,s:s}", "name", a->options[i].name, "type", type,
                                              "default", a->options[i].def, "help", a->options[i].help));
    }
    return json_pack("{s:s,s:s,s:i,s:s,s:s,s:o}", "type", "agent", "name", a->name, "version", a->version,
                     "scope", a->scope == REEL_SCOPE_CLIP ? "clip" : "project", "summary", a->summary,
                     "options", opts);
}

int cmd_agents(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: reel agents [NAME] [--json] [--markdown]\n\nLists every agent with its "
               "options (type, default, range, help). --markdown\nprints the whole reel.yaml "
               "reference, generated from the same tables.\n");
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "--markdown")) {
        char *md = reel_brief_reference_md(reel_builtin_agents);
        if (!md) return EXIT_ERROR;
        fputs(md, stdout);
        free(md);
        return 0;
    }
    if (argc > 2) return cli_usage("agents", "name at most one agent");
    for (int i = 0; reel_builtin_agents[i]; i++) {
        const reel_agent *a = reel_builtin_agents[i];
        if (argc == 2 && strcmp(argv[1], a->name)) continue;
        if (g_cli.json) print_json(agent_json(a));
        else if (argc == 2) agent_options(a);
        else printf("%-10s v%-3d %s\n", a->name, a->version, a->summary);
    }
    if (argc == 2 && !reel_agent_find(reel_builtin_agents, argv[1])) {
        fprintf(stderr, "reel agents: no agent named '%s' (see `reel agents`)\n", argv[1]);
        return EXIT_USAGE;
    }
    if (argc == 1 && !g_cli.json) printf("\n`reel agents NAME` shows an agent's options.\n");
    return 0;
}
