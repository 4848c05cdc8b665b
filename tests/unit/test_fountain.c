/* The Fountain parser against the syntax guide (fountain.io/syntax): each element's rule, its
 * forcing marks, and the cases the guide calls out (McCLANE needs @, 23 is not a name, lower-case
 * "Cut to:" is action, an ellipsis is not a forced heading), then notes, the boneyard, emphasis,
 * the title page, line numbers and scenes, line ends, bad bytes and a missing file. */
#include "script/fountain.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One letter per element, in order: T title, S scene, A action, C character, P parenthetical,
 * D dialogue, L lyrics, X transition, Z centered, # section, = synopsis, B page break. */
static const char *shape(const reel_fountain *f)
{
    static char s[256];
    int k = 0;
    for (int i = 0; i < f->n && k < 255; i++) s[k++] = "TSACPDLXZ#=B"[f->el[i].type];
    s[k] = 0;
    return s;
}

static reel_fountain parse(const char *text)
{
    reel_fountain f;
    reel_err e = {0};
    if (reel_fountain_parse("t.fountain", text, strlen(text), &f, &e)) {
        printf("# parse failed: %s\n", e.msg);
        memset(&f, 0, sizeof f);
    }
    return f;
}

/* Parse text and check its shape. */
#define SHAPE(text, want, ...)                                                                     \
    do {                                                                                           \
        reel_fountain f_ = parse(text);                                                            \
        TAP_EQ_STR(shape(&f_), want, __VA_ARGS__);                                                 \
        reel_fountain_free(&f_);                                                                   \
    } while (0)

static void test_scene_headings(void)
{
    SHAPE("EXT. BRICK'S PATIO - DAY\n\nA gorgeous day.\n", "SA", "EXT. with a blank line after is a scene heading");
    SHAPE("int. house - day\n\nDark.\n", "SA", "scene headings are case-insensitive");
    SHAPE("INT./EXT. CAR - MOVING\n\nx\n\nINT/EXT CAR\n\nx\n\nI/E CAR\n\nx\n\nEST. CITY\n\nx\n", "SASASASA",
          "INT./EXT, INT/EXT, I/E and EST open headings too");
    SHAPE("INTO THE NIGHT\n\nx\n", "AA", "INT must be followed by a dot or space (INTO is not a heading)");
    SHAPE("INT. HOUSE - DAY\nShe enters.\n", "CD", "no blank line after: not a heading (an upper-case line before text is a cue)");
    SHAPE(".SNIPER SCOPE POV\n\nx\n", "SA", "a leading dot forces a heading");
    SHAPE("...and then silence.\n", "A", "an ellipsis does not force a heading");
    reel_fountain f = parse("INT. HOUSE - DAY #1A#\n\nx\n\nEXT. YARD #I-1-A#\n\ny\n\n.FLASHBACK #110.#\n\nz\n");
    TAP_OK(f.n == 6 && !strcmp(f.el[0].number, "1A") && !strcmp(f.el[0].text, "INT. HOUSE - DAY") &&
               !strcmp(f.el[2].number, "I-1-A") && !strcmp(f.el[4].number, "110.") && !strcmp(f.el[4].text, "FLASHBACK"),
           "scene numbers between # marks are split from the heading (1A, I-1-A, 110.)");
    TAP_OK(f.scenes == 3 && f.el[1].scene == 0 && f.el[3].scene == 1 && f.el[5].scene == 2,
           "each element carries the index of its scene");
    reel_fountain_free(&f);
    f = parse("INT. HOUSE #1 2#\n\nx\n");
    TAP_OK(f.n == 2 && !f.el[0].number[0] && !strcmp(f.el[0].text, "INT. HOUSE #1 2#"),
           "a # pair holding a space is not a scene number: kept in the heading");
    reel_fountain_free(&f);
}

static void test_characters(void)
{
    reel_fountain f = parse("STEEL\nThe man's a myth!\n");
    TAP_OK(f.n == 2 && f.el[0].type == REEL_FTN_CHARACTER && !strcmp(f.el[0].name, "STEEL") &&
               f.el[1].type == REEL_FTN_DIALOGUE && !strcmp(f.el[1].name, "STEEL") &&
               !strcmp(f.el[1].text, "The man's a myth!"),
           "an upper-case line before text is a cue; the text under it is its dialogue");
    reel_fountain_free(&f);
    SHAPE("McCLANE\nYippie ki-yay!\n", "A", "McCLANE is not all upper case: action");
    f = parse("@McCLANE\nYippie ki-yay!\n");
    TAP_OK(f.n == 2 && f.el[0].type == REEL_FTN_CHARACTER && !strcmp(f.el[0].name, "McCLANE"),
           "@ forces a cue (@McCLANE)");
    reel_fountain_free(&f);
    SHAPE("R2D2\nBeep.\n", "CD", "R2D2 is a name (letters and digits)");
    SHAPE("23\nBeep.\n", "A", "23 is not a name (no letter)");
    f = parse("HANS (on the radio)\nWhat was it you said?\n\nMOM (O. S.)\nLuke!\n");
    TAP_OK(f.n == 4 && !strcmp(f.el[0].name, "HANS") && f.el[0].ext && !strcmp(f.el[0].ext, "(on the radio)") &&
               !strcmp(f.el[2].name, "MOM") && !strcmp(f.el[2].ext, "(O. S.)"),
           "extensions after the name, even in lower case, are kept apart from it");
    reel_fountain_free(&f);
    f = parse("JOSÉ\nHola.\n");
    TAP_OK(f.n == 2 && f.el[0].type == REEL_FTN_CHARACTER && !strcmp(f.el[0].name, "JOSÉ"),
           "a name with letters outside ASCII is a cue");
    reel_fountain_free(&f);
    SHAPE("Some action.\nSTEEL\nHello.\n", "A", "a cue needs a blank line before it");
    SHAPE("STEEL\n\nHello.\n", "AA", "an upper-case line followed by a blank line is action");
}

static void test_dialogue(void)
{
    reel_fountain f = parse("DEALER\nTen.\nFour.\nDealer gets a seven.\n  \nHit or stand sir?\n\nMONKEY\nDude, I'm a monkey.\n");
    TAP_OK(f.n == 4 && !strcmp(f.el[1].text, "Ten.\nFour.\nDealer gets a seven.\n\nHit or stand sir?"),
           "dialogue runs over lines, and across a line of two spaces");
    reel_fountain_free(&f);
    f = parse("STEEL\n(starting the engine)\nSo much for retirement!\n(beat)\nFine.\n");
    TAP_EQ_STR(shape(&f), "CPDPD", "parentheticals split the speech into separate dialogue elements");
    TAP_OK(f.n == 5 && !strcmp(f.el[1].text, "(starting the engine)") && !strcmp(f.el[2].name, "STEEL") &&
               !strcmp(f.el[3].name, "STEEL") && !strcmp(f.el[4].text, "Fine."),
           "parentheticals keep their brackets and both carry the speaker");
    reel_fountain_free(&f);
    f = parse("BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n");
    TAP_OK(f.n == 4 && !f.el[0].dual && !f.el[1].dual && f.el[2].dual && f.el[3].dual && !strcmp(f.el[2].name, "STEEL"),
           "^ marks the second speaker of dual dialogue");
    reel_fountain_free(&f);
}

static void test_other_elements(void)
{
    SHAPE("!SCANNING THE AISLES...\nNothing.\n", "A", "! forces action (an upper-case line before text)");
    reel_fountain f = parse("!INT. NOT A HEADING\n\nx\n");
    TAP_OK(f.n == 2 && f.el[0].type == REEL_FTN_ACTION && !strcmp(f.el[0].text, "INT. NOT A HEADING"),
           "! forces action over a heading, and the mark is dropped");
    reel_fountain_free(&f);
    SHAPE("x\n\nCUT TO:\n\nINT. GARAGE - DAY\n\ny\n", "AXSA", "an upper-case line ending in TO: between blank lines is a transition");
    SHAPE("x\n\nCut to:\n\ny\n", "AAA", "a lower-case \"Cut to:\" is action");
    f = parse("> Burn to White.\n\n> THE END <\n");
    TAP_OK(f.n == 2 && f.el[0].type == REEL_FTN_TRANSITION && !strcmp(f.el[0].text, "Burn to White.") &&
               f.el[1].type == REEL_FTN_CENTERED && !strcmp(f.el[1].text, "THE END"),
           "> forces a transition; > TEXT < is centered");
    reel_fountain_free(&f);
    f = parse("~Willy Wonka! Willy Wonka!\n~The amazing chocolatier!\n");
    TAP_OK(f.n == 2 && f.el[0].type == REEL_FTN_LYRICS && !strcmp(f.el[1].text, "The amazing chocolatier!"),
           "~ lines are lyrics, one element a line");
    reel_fountain_free(&f);
    f = parse("# ACT I\n## The meeting\n= They meet in the rain.\nINT. STATION - NIGHT\n\nx\n\n===\n\ny\n");
    TAP_EQ_STR(shape(&f), "##=SABA", "sections, synopses and page breaks; a heading may follow them directly");
    TAP_OK(f.n == 7 && f.el[0].level == 1 && f.el[1].level == 2 && !strcmp(f.el[1].text, "The meeting") &&
               !strcmp(f.el[2].text, "They meet in the rain."),
           "a section's depth is its number of #");
    reel_fountain_free(&f);
}

static void test_notes_boneyard_emphasis(void)
{
    reel_fountain f = parse("STEEL\nHello [[a note]] there.\n[[Only a note]]\nAgain.\n");
    TAP_OK(f.n == 2 && !strcmp(f.el[1].text, "Hello  there.\nAgain."),
           "notes are removed, and a line that held only a note does not end the speech");
    reel_fountain_free(&f);
    f = parse("EXT. A\n\nOne.\n/* cut this\n\nINT. B\n\ncut */\nTwo.\n\nEXT. C\n\nThree.\n");
    TAP_EQ_STR(shape(&f), "SASA", "the boneyard is removed, blank lines and headings inside it too");
    TAP_OK(f.n == 4 && !strcmp(f.el[1].text, "One.\nTwo.") && f.el[2].line == 11 && f.el[3].line == 13,
           "lines after a boneyard keep their numbers in the file (%d, %d)", f.n == 4 ? f.el[2].line : -1,
           f.n == 4 ? f.el[3].line : -1);
    reel_fountain_free(&f);
    f = parse("A /* never closed\n");
    TAP_OK(f.n == 1 && !strcmp(f.el[0].text, "A /* never closed"), "an unclosed boneyard is text");
    reel_fountain_free(&f);
    f = parse("*italics* **bold** ***both*** _under_ \\*escaped\\* a * lone star and snake_case\n");
    TAP_EQ_STR(f.n ? f.el[0].text : "", "italics bold both under *escaped* a * lone star and snake_case",
               "emphasis markers in pairs are dropped; escaped and lone ones are text");
    reel_fountain_free(&f);
}

static void test_title_page(void)
{
    reel_fountain f = parse("Title:\n    BRICK & STEEL\n    FULL RETIRED\nCredit: Written by\nAuthor: Stu Maschwitz\n"
                            "Draft date: 1/20/2012\n\nEXT. BRICK'S PATIO - DAY\n\nx\n");
    TAP_EQ_STR(shape(&f), "TTTTSA", "the title page's keys, then the script");
    TAP_OK(f.n == 6 && !strcmp(f.el[0].name, "Title") && !strcmp(f.el[0].text, "BRICK & STEEL\nFULL RETIRED") &&
               !strcmp(f.el[3].name, "Draft date") && !strcmp(f.el[3].text, "1/20/2012"),
           "values on the key's line or indented below it");
    reel_fountain_free(&f);
    SHAPE("FADE IN:\n\nEXT. SEA - DAY\n\nx\n", "ASA", "FADE IN: at the top is not a title page key");
}

static void test_files(void)
{
    reel_fountain f = parse("EXT. A\r\n\r\nSTEEL\r\nHi.\r\n\rINT. B\r\rx\r");
    TAP_EQ_STR(shape(&f), "SCDSA", "CRLF and CR line ends");
    TAP_OK(f.n == 5 && f.el[2].line == 4 && f.el[3].line == 6, "line numbers count CRLF and CR ends once");
    reel_fountain_free(&f);
    f = parse("\xef\xbb\xbfINT. A\n\nx\n");
    TAP_OK(f.n == 2 && f.el[0].type == REEL_FTN_SCENE && !strcmp(f.el[0].text, "INT. A"), "a UTF-8 BOM is skipped");
    reel_fountain_free(&f);
    reel_err e = {0};
    int rc = reel_fountain_parse("bad.fountain", "EXT. A\n\nCaf\xe9 noir.\n", 19, &f, &e);
    TAP_OK(rc == REEL_EINVAL && strstr(e.msg, "bad.fountain:3:") && strstr(e.msg, "UTF-8"),
           "Latin-1 bytes are refused with file and line: %s", e.msg);
    rc = reel_fountain_parse("nul.fountain", "EXT. A\n\0x\n", 10, &f, &e);
    TAP_OK(rc == REEL_EINVAL && strstr(e.msg, "nul.fountain:2:") && strstr(e.msg, "NUL"), "a NUL byte: %s", e.msg);
    rc = reel_fountain_load("/nonexistent/dir/s.fountain", &f, &e);
    TAP_OK(rc != 0 && strstr(e.msg, "/nonexistent/dir/s.fountain"), "a missing file is named: %s", e.msg);
    char path[] = "/tmp/reel-ftn-XXXXXX";
    int fd = mkstemp(path);
    const char *s = "INT. KITCHEN - NIGHT\n\nNARRATOR\nGo forward ten meters.\n";
    int ok = fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s);
    if (fd >= 0) close(fd);
    ok = ok && reel_fountain_load(path, &f, &e) == 0;
    TAP_OK(ok && f.n == 3 && !strcmp(f.el[2].text, "Go forward ten meters.") && !strcmp(f.el[2].name, "NARRATOR"),
           "a file read from disk");
    if (ok) reel_fountain_free(&f);
    unlink(path);
    TAP_EQ_STR(reel_ftn_type_name(REEL_FTN_PARENTHETICAL), "parenthetical", "type names for reports");
}

int main(void)
{
    test_scene_headings();
    test_characters();
    test_dialogue();
    test_other_elements();
    test_notes_boneyard_emphasis();
    test_title_page();
    test_files();
    return tap_done();
}
