/* Running a project from the CLI: progress, the closing summary and the exit status. */
#include "cli/cli.h"

#include <stdio.h>

int cli_run_project(reel_project *p, int threads, int wait_lock)
{
    cli_progress *prog = cli_progress_new();
    reel_run_opts o = {.threads = threads, .wait_lock = wait_lock, .on_event = cli_progress_event,
                       .opaque = prog, .cancel = &g_cancel};
    reel_run_summary s;
    reel_err e = {0};
    int rc = reel_run(p, &o, &s, &e);
    cli_progress_free(prog);
    if (rc && rc != REEL_ECANCEL) return cli_fail(&e);
    if (!g_cli.json && !g_cli.quiet) {
        printf("%s: %d tasks: %d ran, %d from cache, %d failed, %d skipped in %.1f s (%.1f CPU s)\n",
               s.cancelled ? "interrupted" : "finished", s.total, s.ran, s.cached, s.failed,
               s.skipped, s.wall_seconds, s.cpu_seconds);
        if (s.budget > 0) printf("budget: %.1f of %.0f CPU s spent\n", s.spent_total, s.budget);
        if (s.budget_hit) printf("the compute budget ran out: raise budget.cpu_seconds in reel.yaml\n");
        if (!s.cancelled) printf("outputs: %s/out/\n", p->root);
    }
    if (rc == REEL_ECANCEL) return cli_fail(&e);
    return s.failed || s.skipped ? EXIT_PARTIAL : EXIT_OK;
}
