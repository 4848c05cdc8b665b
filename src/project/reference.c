/* The reel.yaml reference, generated in Markdown from the option tables (the README embeds it;
 * a test checks the README's copy is current). */
#include "project/brief.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void table_md(reel_strbuf *b, const reel_option *t, const char *prefix)
{
    reel_sb_add(b, "| key | type | default | meaning |\n|---|---|---|---|\n");
    for (int i = 0; t[i].name; i++) {
        char type[512];
        reel_opt_describe_type(&t[i], type, sizeof type);
        reel_sb_printf(b, "| `%s%s` | %s | %s%s%s | %s |\n", prefix, t[i].name, type,
                       t[i].def ? "`" : "", t[i].def ? (t[i].def[0] ? t[i].def : "\"\"") : "required",
                       t[i].def ? "`" : "", t[i].help);
    }
    reel_sb_add(b, "\n");
}

char *reel_brief_reference_md(const reel_agent *const *agents)
{
    reel_strbuf b;
    reel_sb_init(&b);
    reel_sb_add(&b, "### Top level\n\n");
    table_md(&b, reel_brief_options, "");
    reel_sb_add(&b, "`footage` (required): a folder, a file, or a list of them; folders are searched "
                    "recursively for media files. `looks`: a list of reference stills or clips.\n\n");
    reel_sb_add(&b, "### `variables:` scene variables\n\nBuiltin variables are checked; any other "
                    "lowercase name is a free-text variable an agent may declare it reads.\n\n");
    table_md(&b, reel_variable_options, "variables.");
    reel_sb_add(&b, "### `deliveries:` a list of deliverables\n\nChecked when the brief loads (a codec the "
                    "container cannot carry, an odd size for 4:2:0, a rate the codec cannot carry are "
                    "refused); rendered into out/ by the render agent and checked by the qc agent.\n\n");
    table_md(&b, reel_delivery_options, "");
    reel_sb_add(&b, "### `budget:`\n\n");
    table_md(&b, reel_budget_options, "budget.");
    reel_sb_add(&b, "### `agents:` per-agent options\n\n");
    for (int i = 0; agents[i]; i++) {
        reel_sb_printf(&b, "#### `%s` (v%d): %s\n\n", agents[i]->name, agents[i]->version,
                       agents[i]->summary);
        char prefix[96];
        snprintf(prefix, sizeof prefix, "agents.%s.", agents[i]->name);
        table_md(&b, agents[i]->options, prefix);
    }
    if (b.oom) { reel_sb_free(&b); return NULL; }
    return b.s;
}
