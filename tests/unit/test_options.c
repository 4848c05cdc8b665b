/* Unit tests: typed option tables, table-driven over types, ranges and bad values; every builtin
 * table's defaults must pass its own checks. */
#include "agents/agent.h"
#include "project/brief.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static const char *const colours[] = {"red", "green", NULL};
static const reel_option table[] = {
    {"flag", REEL_OPT_BOOL, "false", 0, 0, NULL, "a flag"},
    {"count", REEL_OPT_INT, "3", 1, 10, NULL, "a count"},
    {"gain", REEL_OPT_FLOAT, "0.5", -1, 1, NULL, "a gain"},
    {"name", REEL_OPT_STRING, "x", 0, 0, NULL, "a name"},
    {"colour", REEL_OPT_ENUM, "red", 0, 0, colours, "a colour"},
    {"fps", REEL_OPT_RATIONAL, "25", 1, 240, NULL, "a rate"},
    {NULL},
};

static const struct {
    const char *opt, *text, *canon; /* canon NULL: must be refused */
} cases[] = {
    {"flag", "yes", "true"}, {"flag", "OFF", "false"}, {"flag", "maybe", NULL},
    {"count", "10", "10"}, {"count", "11", NULL}, {"count", "0", NULL}, {"count", "3.5", NULL},
    {"count", "", NULL}, {"count", "99999999999999999999", NULL},
    {"gain", "-1", "-1"}, {"gain", "1.5", NULL}, {"gain", "nan", NULL}, {"gain", "inf", NULL},
    {"gain", "1e-3", "0.001"}, {"name", "anything at all", "anything at all"},
    {"colour", "green", "green"}, {"colour", "Green", NULL}, {"colour", "blue", NULL},
    {"fps", "29.97", "30000/1001"}, {"fps", "23.976", "24000/1001"}, {"fps", "25", "25/1"},
    {"fps", "30000/1001", "30000/1001"}, {"fps", "59.94", "60000/1001"}, {"fps", "0", NULL},
    {"fps", "-25", NULL}, {"fps", "25/0", NULL}, {"fps", "abc", NULL},
};

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const reel_option *o = reel_opt_find(table, cases[i].opt);
        char *canon = NULL, why[512] = "";
        int rc = reel_opt_check(o, cases[i].text, &canon, why, sizeof why);
        if (cases[i].canon) {
            TAP_OK(rc == 0 && canon && !strcmp(canon, cases[i].canon), "%s='%s' -> '%s'", cases[i].opt,
                   cases[i].text, cases[i].canon);
        } else {
            TAP_OK(rc == REEL_EINVAL && strstr(why, cases[i].opt), "%s='%s' refused, naming the option (%s)",
                   cases[i].opt, cases[i].text, why);
        }
        free(canon);
    }
}

static void test_opts(void)
{
    reel_opts o;
    TAP_EQ_INT(reel_opts_init(&o, table), 0, "defaults load");
    TAP_EQ_INT(reel_opts_int(&o, "count"), 3, "int accessor");
    TAP_OK(reel_opts_float(&o, "gain") == 0.5, "float accessor");
    TAP_EQ_INT(reel_opts_bool(&o, "flag"), 0, "bool accessor");
    reel_err e = {0};
    TAP_EQ_INT(reel_opts_set(&o, "colour", "green", &e), 0, "set a value");
    TAP_EQ_INT(reel_opts_set(&o, "colur", "green", &e), REEL_EINVAL, "a typo is an error");
    TAP_OK(strstr(e.msg, "colur") != NULL, "the error names the unknown key");
    char *c = reel_opts_canonical(&o);
    TAP_OK(c && strstr(c, "colour=green\n") && strstr(c, "fps=25/1\n"), "canonical text");
    reel_opts copy;
    reel_opts_copy(&copy, &o);
    char *c2 = reel_opts_canonical(&copy);
    TAP_EQ_STR(c2, c, "copy is identical");
    free(c), free(c2);
    reel_opts_free(&copy);
    reel_opts_free(&o);
}

static void test_builtin_tables(void)
{
    const reel_option *tables[] = {reel_brief_options, reel_budget_options, reel_variable_options};
    for (size_t i = 0; i < 3; i++) {
        reel_opts o;
        TAP_EQ_INT(reel_opts_init(&o, tables[i]), 0, "builtin table %zu: defaults pass", i);
        reel_opts_free(&o);
    }
    for (int i = 0; reel_builtin_agents[i]; i++) {
        const reel_agent *a = reel_builtin_agents[i];
        reel_opts o;
        TAP_EQ_INT(reel_opts_init(&o, a->options), 0, "agent %s: defaults pass its own table", a->name);
        reel_opts_free(&o);
        TAP_OK(a->run && a->summary && a->writes && a->writes[0] && a->version > 0,
               "agent %s: descriptor complete", a->name);
        for (int k = 0; a->options[k].name; k++)
            TAP_OK(a->options[k].help && a->options[k].help[0], "agent %s option %s has help", a->name,
                   a->options[k].name);
    }
}

int main(void)
{
    reel_init();
    test_cases();
    test_opts();
    test_builtin_tables();
    return tap_done();
}
