/* The project model: the brief (reel.yaml) loaded, validated against the option tables and
 * resolved against the project folder, plus the list of clips found in the footage. */
#ifndef REEL_BRIEF_H
#define REEL_BRIEF_H

#include "agents/agent.h"
#include "project/options.h"
#include "reel/reel.h"

typedef struct reel_variable {
    char *name, *value;
    int line;
} reel_variable;

typedef struct reel_delivery {
    reel_opts opts; /* fields of reel_delivery_options */
    int line;
} reel_delivery;

typedef struct reel_clip {
    char *path;  /* absolute */
    const char *label; /* relative to the project root when inside it, else absolute (points into path) */
    char *name;  /* unique, file-name safe */
} reel_clip;

typedef struct reel_project {
    char *root;          /* absolute project folder */
    char *brief_path;    /* absolute path of reel.yaml */
    reel_opts top;       /* reel_brief_options: title, screenplay, threads */
    reel_opts budget;    /* reel_budget_options */
    char **footage; int n_footage;   /* absolute footage folders/files */
    char **looks; int n_looks;       /* absolute look references */
    reel_variable *vars; int n_vars;
    reel_delivery *deliveries; int n_deliveries;
    const reel_agent *const *agents; /* the agent table this project was loaded against */
    reel_opts *agent_opts;           /* one per agent in the table */
    int n_agents;
    reel_clip *clips; int n_clips;   /* filled by reel_project_scan */
} reel_project;

extern const reel_option reel_brief_options[];
extern const reel_option reel_budget_options[];
extern const reel_option reel_delivery_options[];
extern const reel_option reel_variable_options[]; /* the builtin scene variables */

/* Load dir/reel.yaml against the agent table. Errors name file:line and the key. */
int reel_project_load(reel_project *p, const char *dir, const reel_agent *const *agents, reel_err *e);
/* Find the clips in the footage entries (sorted, unique names). A missing footage folder is an
 * error naming it. Files with no media extension inside folders are ignored. */
int reel_project_scan(reel_project *p, reel_err *e);
/* The same from text already read (used by `reel set` to validate before writing). */
int reel_project_load_text(reel_project *p, const char *dir, const char *text, size_t len,
                           const reel_agent *const *agents, reel_err *e);
void reel_project_free(reel_project *p);
/* Check a scene variable: builtin ones against reel_variable_options, user ones as free text
 * under a lowercase name. On success *canon is the malloc'd canonical value. */
int reel_variable_check(const char *name, const char *value, char **canon, char *why, size_t len);
const char *reel_project_var(const reel_project *p, const char *name);
/* How the project names a file: relative to its root when inside it, else as given (a pointer
 * into path). Outputs and task keys record this, so a moved project keeps both. */
const char *reel_project_label(const reel_project *p, const char *path);
const reel_opts *reel_project_agent_opts(const reel_project *p, const reel_agent *a);

/* `reel init`: write dir/reel.yaml (self-documenting, commented) for footage and the look
 * references (n_looks may be 0), with one delivery, "web", whose fields are the defaults but for
 * the "name=value" overrides in delivery (NULL-terminated, may be NULL; each checked against
 * its field); never touches the footage. Fails if reel.yaml exists. */
int reel_project_init(const char *dir, const char *const *footage, int n_footage,
                      const char *screenplay, const char *const *looks, int n_looks,
                      const char *const *delivery, reel_err *e);
/* `reel set`: change NAME=VALUE in the variables: section of dir/reel.yaml in place, keeping
 * comments; validated with the same tables before anything is written. */
int reel_project_set_var(const char *dir, const char *name, const char *value,
                         const reel_agent *const *agents, reel_err *e);
/* The reel.yaml reference in Markdown, generated from the option tables. malloc'd. */
char *reel_brief_reference_md(const reel_agent *const *agents);

#endif
