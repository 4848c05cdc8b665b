/* `reel script FILE`: how reel reads a Fountain screenplay: its scenes, who speaks in each, and
 * every element as JSON, so a writer can check the parse before the editor cuts to it. */
#include "cli/cli.h"
#include "script/fountain.h"

#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void usage(void)
{
    printf("usage: reel script FILE.fountain [--json]\n\n"
           "Reads a screenplay in Fountain (fountain.io) and shows how reel understood it: the\n"
           "title, each scene heading with its number and line, the lines of dialogue and the\n"
           "speakers in it, and the cast with their lines and words. The editor matches takes to\n"
           "these lines, so a cue typed in lower case (read as action) shows up here first.\n\n"
           "  --json   every element in order: type (title, scene, action, character,\n"
           "           parenthetical, dialogue, lyrics, transition, centered, section, synopsis,\n"
           "           page_break), text, line, scene (from 1; 0 before the first heading),\n"
           "           and speaker, extension, scene number, section level and dual where\n"
           "           they apply\n\n"
           "Forcing marks when the guide's rules read a line the wrong way: .HEADING, @Name,\n"
           "!ACTION, > TRANSITION, > CENTERED <.\n\n"
           "examples: reel script myfilm/script.fountain\n"
           "          reel script draft.fountain --json | jq '.elements[] | select(.type == \"dialogue\")'\n");
}

static int words(const char *s)
{
    int n = 0, in = 0;
    for (; *s; s++) {
        int w = isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80 || *s == '\'';
        n += w && !in;
        in = w;
    }
    return n;
}

static json_t *elem_json(const reel_ftn_elem *el)
{
    json_t *o = json_pack("{s:s,s:s,s:i,s:i}", "type", reel_ftn_type_name(el->type), "text", el->text, "line", el->line,
                          "scene", el->scene + 1);
    if (el->name) json_object_set_new(o, el->type == REEL_FTN_TITLE ? "key" : "speaker", json_string(el->name));
    if (el->ext) json_object_set_new(o, "extension", json_string(el->ext));
    if (el->number[0]) json_object_set_new(o, "number", json_string(el->number));
    if (el->type == REEL_FTN_SECTION) json_object_set_new(o, "level", json_integer(el->level));
    if (el->dual) json_object_set_new(o, "dual", json_true());
    return o;
}

static void print_json(const char *path, const reel_fountain *f)
{
    json_t *els = json_array();
    for (int i = 0; i < f->n; i++) json_array_append_new(els, elem_json(&f->el[i]));
    json_t *doc = json_pack("{s:s,s:i,s:o}", "file", path, "scenes", f->scenes, "elements", els);
    char *s = json_dumps(doc, JSON_INDENT(1));
    if (s) puts(s);
    free(s);
    json_decref(doc);
}

/* The cast: each speaker once, in order of first line, with lines and words. */
static void print_cast(const reel_fountain *f)
{
    const char **name = calloc((size_t)f->n + 1, sizeof *name);
    int *lines = calloc((size_t)f->n + 1, sizeof *lines), *wc = calloc((size_t)f->n + 1, sizeof *wc), k = 0;
    for (int i = 0; name && lines && wc && i < f->n; i++) {
        if (f->el[i].type != REEL_FTN_DIALOGUE || !f->el[i].name) continue;
        int j = 0;
        while (j < k && strcmp(name[j], f->el[i].name)) j++;
        if (j == k) name[k++] = f->el[i].name;
        lines[j]++, wc[j] += words(f->el[i].text);
    }
    if (k) printf("\ncast:\n");
    for (int j = 0; j < k; j++)
        printf("  %-24s %4d line%s %6d word%s\n", name[j], lines[j], lines[j] == 1 ? " " : "s", wc[j], wc[j] == 1 ? "" : "s");
    free(name), free(lines), free(wc);
}

static void print_table(const reel_fountain *f)
{
    int total = 0;
    for (int i = 0; i < f->n; i++)
        if (f->el[i].type == REEL_FTN_TITLE && !strcasecmp(f->el[i].name, "title"))
            printf("title: %s\n", f->el[i].text);
    printf("%-5s %-6s %-6s %-44s %5s  %s\n", "scene", "number", "line", "heading", "lines", "speakers");
    for (int i = 0; i < f->n; i++) {
        if (f->el[i].type != REEL_FTN_SCENE) continue;
        int lines = 0, k = 0;
        const char *seen[16];
        char who[256] = "";
        for (int j = i + 1; j < f->n && f->el[j].scene == f->el[i].scene; j++) {
            if (f->el[j].type != REEL_FTN_DIALOGUE || !f->el[j].name) continue;
            lines++;
            int m = 0;
            while (m < k && strcmp(seen[m], f->el[j].name)) m++;
            if (m < k) continue;
            if (k < 16) seen[k++] = f->el[j].name;
            size_t at = strlen(who);
            snprintf(who + at, sizeof who - at, "%s%s", at ? ", " : "", f->el[j].name);
        }
        total += lines;
        printf("%-5d %-6s %-6d %-44.44s %5d  %s\n", f->el[i].scene + 1, f->el[i].number[0] ? f->el[i].number : "-",
               f->el[i].line, f->el[i].text, lines, who);
    }
    print_cast(f);
    printf("\n%d scenes, %d lines of dialogue, %d elements\n", f->scenes, total, f->n);
}

int cmd_script(int argc, char **argv)
{
    static const struct option lo[] = {{"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0}};
    int c, json = g_cli.json;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h': usage(); return 0;
        default: return cli_usage("script", "unknown option");
        }
    }
    if (optind != argc - 1) return cli_usage("script", "name one Fountain file");
    reel_fountain f;
    reel_err e = {0};
    if (reel_fountain_load(argv[optind], &f, &e)) return cli_fail(&e);
    if (json) print_json(argv[optind], &f);
    else print_table(&f);
    reel_fountain_free(&f);
    return EXIT_OK;
}
