/* ASC CDL interchange: .cdl and .ccc files written atomically and read back to 6 decimals, ids
 * and escaped descriptions intact; a hand-written .ccc in the style grading systems export
 * (<?xml?>, comments, CRLF, the older SATNode spelling, a correction without a SatNode) read
 * right; the EDL *ASC_SOP / *ASC_SAT lines exactly; every malformed file refused naming the file
 * and line; and a valid .ccc cut at every byte length either parses or is refused, never
 * crashes or reads past its end (ASan). */
#include "tap.h"
#include "timeline/cdl.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char g_dir[] = "/tmp/reel-test-cdl-XXXXXX";

static int same_cdl(const reel_cdl *a, const reel_cdl *b)
{
    for (int c = 0; c < 3; c++)
        if (fabs(a->slope[c] - b->slope[c]) > 1e-6 || fabs(a->offset[c] - b->offset[c]) > 1e-6 ||
            fabs(a->power[c] - b->power[c]) > 1e-6)
            return 0;
    return fabs(a->sat - b->sat) <= 1e-6;
}

static const reel_cdl_entry g_ent[3] = {
    {"A001C003_220101_R1AB",
     "a & b <c> \"q\" 'x'",
     {{1.1234567, 0.95, 1}, {-0.0213, 0, 0.0131}, {1, 1.05, 0.9}, 0.8}},
    {"", "", {{0.5, 2.25, 3}, {0.1, -0.2, 0.3}, {0.7, 1.3, 2.5}, 1.25}},
    {"shot 3 <&>", "warm\nlook", {{1, 1, 1}, {0, 0, 0}, {1, 1, 1}, 0}},
};

static void test_round_trip(void)
{
    char cdl[256], ccc[256];
    snprintf(cdl, sizeof cdl, "%s/one.cdl", g_dir), snprintf(ccc, sizeof ccc, "%s/all.ccc", g_dir);
    reel_err e = {0};
    reel_cdl_entry *v = NULL;
    int n = 0;
    int rc = reel_cdl_save(cdl, &g_ent[0], &e) || reel_cdl_load(cdl, &v, &n, &e);
    if (rc) printf("# %s\n", e.msg);
    TAP_OK(!rc && n == 1 && same_cdl(&v[0].cdl, &g_ent[0].cdl),
           ".cdl saved and read back to 6 decimals");
    TAP_OK(v && !strcmp(v[0].id, g_ent[0].id) && !strcmp(v[0].description, g_ent[0].description),
           ".cdl: the id and a description with & < > \" ' come back");
    free(v);
    rc = reel_ccc_save(ccc, g_ent, 3, &e) || reel_cdl_load(ccc, &v, &n, &e);
    if (rc) printf("# %s\n", e.msg);
    int ok = !rc && n == 3;
    for (int i = 0; ok && i < 3; i++)
        ok = same_cdl(&v[i].cdl, &g_ent[i].cdl) && !strcmp(v[i].id, g_ent[i].id) &&
             !strcmp(v[i].description, g_ent[i].description);
    TAP_OK(ok,
           ".ccc of 3 (one without id or description, one with an escaped id) read back the same");
    free(v);
    char *x = reel_cdl_to_xml(&g_ent[0]), *y = reel_ccc_to_xml(g_ent, 3);
    TAP_OK(
        x && strstr(x, "<ColorDecisionList xmlns=\"urn:ASC:CDL:v1.2\">") &&
            strstr(x, "<ColorDecision>") &&
            strstr(x, "<Slope>1.123457 0.950000 1.000000</Slope>") &&
            strstr(x, "<Offset>-0.021300 0.000000 0.013100</Offset>") &&
            strstr(x, "<Saturation>0.800000</Saturation>") &&
            strstr(x, "<Description>a &amp; b &lt;c&gt; &quot;q&quot; &apos;x&apos;</Description>"),
        ".cdl XML: v1.2 namespace, ColorDecisionList/ColorDecision, %%.6f numbers, escaped "
        "description");
    TAP_OK(y && strstr(y, "<ColorCorrectionCollection xmlns=\"urn:ASC:CDL:v1.2\">") &&
               strstr(y, "<ColorCorrection id=\"shot 3 &lt;&amp;&gt;\">") &&
               strstr(y, "<ColorCorrection>"),
           ".ccc XML: collection in the v1.2 namespace, escaped id, no id attribute when there is "
           "none");
    free(x), free(y);
    TAP_OK(reel_ccc_save(ccc, g_ent, 0, &e) == REEL_EINVAL && strstr(e.msg, "all.ccc"),
           "a .ccc of nothing: refused");
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.cdl", g_dir);
    TAP_OK(reel_cdl_load(missing, &v, &n, &e) < 0 && !v && !n && strstr(e.msg, "none.cdl"),
           "a missing file: refused, named");
}

/* As grading systems write them: CRLF, a comment (with a ColorCorrection inside, to be skipped),
 * InputDescription / ViewingDescription, descriptions on the correction and on the SOPNode, the
 * older SATNode, and a correction with no SatNode. */
static const char g_ccc[] =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
    "<!-- exported by a grading system\r\n  <ColorCorrection id=\"commented\"/> -->\r\n"
    "<ColorCorrectionCollection xmlns=\"urn:ASC:CDL:v1.2\">\r\n"
    "  <InputDescription>LogC</InputDescription>\r\n"
    "  <ViewingDescription>Rec709 monitor</ViewingDescription>\r\n"
    "  <ColorCorrection id=\"A001C003\">\r\n"
    "    <Description>Reel 1 &#233;t&#xE9;</Description>\r\n"
    "    <SOPNode>\r\n"
    "      <Description>not this one</Description>\r\n"
    "      <Slope>1.0625 0.98 1.1</Slope>\r\n"
    "      <Offset> -0.01  0.002\t0.0 </Offset>\r\n"
    "      <Power>1.0 1.0 0.95</Power>\r\n"
    "    </SOPNode>\r\n"
    "    <SATNode>\r\n"
    "      <Saturation>0.85</Saturation>\r\n"
    "    </SATNode>\r\n"
    "  </ColorCorrection>\r\n"
    "  <ColorCorrection id='B002'>\r\n"
    "    <SOPNode>\r\n"
    "      <Description>sop text</Description>\r\n"
    "      <Slope>2 2 2</Slope>\r\n"
    "      <Offset>0.1 0.1 0.1</Offset>\r\n"
    "      <Power>0.5 0.5 0.5</Power>\r\n"
    "    </SOPNode>\r\n"
    "  </ColorCorrection>\r\n"
    "  <ColorCorrection id=\"C003\">\r\n"
    "    <SatNode><Saturation>1.2</Saturation></SatNode>\r\n"
    "  </ColorCorrection>\r\n"
    "</ColorCorrectionCollection>\r\n";

static int parse(const char *text, reel_cdl_entry **v, int *n, reel_err *e)
{
    return reel_cdl_parse("t.ccc", text, strlen(text), v, n, e);
}

static void test_foreign(void)
{
    reel_cdl_entry *v = NULL;
    int n = 0;
    reel_err e = {0};
    int rc = parse(g_ccc, &v, &n, &e);
    if (rc) printf("# %s\n", e.msg);
    TAP_OK(
        !rc && n == 3 && !strcmp(v[0].id, "A001C003") && !strcmp(v[1].id, "B002") &&
            !strcmp(v[2].id, "C003"),
        "exported .ccc (BOM, <?xml?>, comments, CRLF): 3 corrections, the commented one skipped");
    if (rc || n != 3) return;
    reel_cdl a = {{1.0625, 0.98, 1.1}, {-0.01, 0.002, 0}, {1, 1, 0.95}, 0.85};
    reel_cdl b = {{2, 2, 2}, {0.1, 0.1, 0.1}, {0.5, 0.5, 0.5}, 1};
    reel_cdl c = {{1, 1, 1}, {0, 0, 0}, {1, 1, 1}, 1.2};
    TAP_OK(same_cdl(&v[0].cdl, &a), "SOP values and the older SATNode's Saturation read");
    TAP_OK(same_cdl(&v[1].cdl, &b), "a correction without SatNode: saturation 1");
    TAP_OK(same_cdl(&v[2].cdl, &c), "a correction without SOPNode: identity slope, offset, power");
    TAP_EQ_STR(v[0].description, "Reel 1 \xC3\xA9t\xC3\xA9",
               "the correction's own Description first, character references decoded");
    TAP_EQ_STR(v[1].description, "sop text", "else the SOPNode's Description");
    free(v);
    const char *bare =
        "<ColorCorrection id=\"x\"><SOPNode><Slope>1 2 3</Slope></SOPNode></ColorCorrection>";
    rc = parse(bare, &v, &n, &e);
    TAP_OK(!rc && n == 1 && v[0].cdl.slope[2] == 3 && v[0].cdl.power[0] == 1,
           "a bare ColorCorrection read");
    free(v);
    const char *cdl =
        "<?xml version=\"1.0\"?>\n"
        "<ColorDecisionList xmlns=\"urn:ASC:CDL:v1.01\">\n<ColorDecision>\n"
        "<MediaRef ref=\"a.mov\"/>\n"
        "<cdl:ColorCorrection id=\"p\"><cdl:SOPNode><cdl:Power>2 2 2</cdl:Power></cdl:SOPNode>"
        "</cdl:ColorCorrection>\n</ColorDecision>\n</ColorDecisionList>\n";
    rc = parse(cdl, &v, &n, &e);
    TAP_OK(!rc && n == 1 && !strcmp(v[0].id, "p") && v[0].cdl.power[1] == 2,
           "a v1.01 .cdl with namespace prefixes read");
    free(v);
    char long_text[512] = "", big[2048];
    for (int i = 0; i < 200; i++)
        strcat(long_text, "\xC3\xA9");
    snprintf(big, sizeof big,
             "<ColorCorrection id=\"%s\"><Description>%s</Description></ColorCorrection>",
             long_text, long_text);
    rc = parse(big, &v, &n, &e);
    TAP_OK(!rc && n == 1 && strlen(v[0].id) == 126 && strlen(v[0].description) == 254,
           "a long id and description cut at a whole UTF-8 character (126 and 254 bytes)");
    free(v);
}

static void test_edl(void)
{
    reel_cdl c = {{1.1234567, 0.95, 1}, {-0.0213, -1e-9, 0.0131}, {1, 1.05, 0.9}, 0.8};
    const char *want = "*ASC_SOP (1.123457 0.950000 1.000000)"
                       "(-0.021300 0.000000 0.013100)(1.000000 1.050000 0.900000)\n"
                       "*ASC_SAT 0.800000\n";
    char buf[512] = "* FROM CLIP NAME: A001C003\n";
    int n = reel_cdl_edl_comments(&c, buf, sizeof buf);
    char full[512];
    snprintf(full, sizeof full, "* FROM CLIP NAME: A001C003\n%s", want);
    TAP_EQ_STR(buf, full,
               "EDL *ASC_SOP / *ASC_SAT lines appended after the text already in the buffer");
    TAP_EQ_INT(n, strlen(want), "the length of the two lines returned");
    char small[20] = "";
    n = reel_cdl_edl_comments(&c, small, sizeof small);
    TAP_OK(n == (int)strlen(want) && strlen(small) == 19 && !strncmp(small, want, 19),
           "cut to the buffer, still terminated");
    TAP_EQ_INT(reel_cdl_edl_comments(&c, NULL, 0), strlen(want), "no buffer: only counted");
}

static void test_bad(void)
{
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"", "t.ccc:1: no ColorCorrection element"},
        {"<ColorDecisionList>\n<ColorDecision/>\n</ColorDecisionList>\n",
         "t.ccc:1: no ColorCorrection element"},
        {"<ColorCorrection>\n<SOPNode>\n<Slope>1 1</Slope>",
         "t.ccc:3: Slope needs exactly 3 numbers, found 2"},
        {"<ColorCorrection>\n<SOPNode>\n\n<Offset>0 0 0 0</Offset>\n"
         "</SOPNode>\n</ColorCorrection>\n",
         "t.ccc:4: Offset needs exactly 3 numbers, found 4"},
        {"<ColorCorrection><SOPNode>\n<Power>1 x 1</Power></SOPNode></ColorCorrection>",
         "t.ccc:2: Power: \"x\" is not a number"},
        {"<ColorCorrection><SOPNode>\n<Slope>nan 1 1</Slope></SOPNode></ColorCorrection>",
         "t.ccc:2: Slope: nan is not a finite"},
        {"<ColorCorrection><SOPNode><Slope>1 inf 1</Slope></SOPNode></ColorCorrection>",
         "t.ccc:1: Slope: inf is not a finite"},
        {"<ColorCorrection><SOPNode>\n\n<Offset>2e6 0 0</Offset></SOPNode></ColorCorrection>",
         "t.ccc:3: Offset: 2e6 is not a finite number within +-10^6"},
        {"<ColorCorrection><SOPNode>\n<Slope>-1 1 1</Slope></SOPNode></ColorCorrection>",
         "t.ccc:2: Slope: -1 is negative"},
        {"<ColorCorrection><SOPNode>\n\n\n<Power>1 -0.5 1</Power></SOPNode></ColorCorrection>",
         "t.ccc:4: Power: -0.5 is negative"},
        {"<ColorCorrection>\n<SatNode>\n<Saturation>-0.1</Saturation></SatNode></ColorCorrection>",
         "t.ccc:3: Saturation: -0.1 is negative"},
        {"<ColorCorrection>\n<SATNode><Saturation>1 2</Saturation></SATNode></ColorCorrection>",
         "t.ccc:2: Saturation needs exactly 1 number, found 2"},
        {"<ColorCorrection>\n<SatNode><Saturation></Saturation></SatNode></ColorCorrection>",
         "t.ccc:2: Saturation needs exactly 1 number, found 0"},
        {"<?xml version=\"1.0\"?>\n<ColorCorrection>\n<!-- never closed\n\n",
         "t.ccc:3: a comment <!-- is never closed"},
        {"<ColorCorrection id=\"a\">\n<SOPNode>\n<Slope>1 1 1</Slope>\n",
         "t.ccc:2: <SOPNode> is never closed"},
        {"<ColorCorrectionCollection>\n<ColorCorrection id=\"a\"\n",
         "t.ccc:2: the tag <ColorCorrection is never closed"},
        {"<ColorCorrection>\n<SOPNode>\n</SatNode>\n",
         "t.ccc:3: </SatNode> closes <SOPNode> (opened on line 2)"},
        {"<ColorCorrection>\n<SOPNode></SOPNode>\n<ColorCorrection>",
         "t.ccc:3: a ColorCorrection inside another (opened on line 1)"},
        {"<ColorCorrection>\n\n<Slope>1 1 1</Slope\n",
         "t.ccc:3: the end tag </Slope is never closed"},
        {"<ColorCorrection id=a>\n</ColorCorrection>",
         "t.ccc:1: malformed attributes in <ColorCorrection>"},
        {"<ColorCorrection>\n<Description>a < b</Description>",
         "t.ccc:2: a '<' that starts no tag"},
        {"<ColorCorrection/>\n\n</ColorCorrection>",
         "t.ccc:3: </ColorCorrection> closes no open element"},
        {"<?xml version=\"1.0\"\n", "t.ccc:1: a processing instruction <? is never closed"},
    };
    int all = 1;
    reel_cdl_entry *v = NULL;
    int n = 0;
    reel_err e = {0};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        int rc = parse(bad[i].text, &v, &n, &e);
        if (rc != REEL_EINVAL || strncmp(e.msg, bad[i].want, strlen(bad[i].want)) || v || n) {
            all = 0;
            printf("# case %zu: rc %d, message \"%s\"\n", i, rc, e.msg);
        }
    }
    TAP_OK(all, "%zu malformed CDL files refused, each as \"NAME:LINE: what is wrong\"",
           sizeof bad / sizeof *bad);
    TAP_OK(reel_cdl_parse("t.ccc", "<ColorCorrection>\n\0</ColorCorrection>", 37, &v, &n, &e) ==
                   REEL_EINVAL &&
               strstr(e.msg, "t.ccc:2: a NUL byte"),
           "a NUL byte: refused with its line");
    char deep[64 * 3 + 64] = "";
    for (int i = 0; i < 65; i++)
        strcat(deep, "<a>");
    TAP_OK(parse(deep, &v, &n, &e) == REEL_EINVAL && strstr(e.msg, "nested more than 64 deep"),
           "nesting over 64 deep: refused");
    size_t one = strlen("<ColorCorrection/>\n"), cap = one * 100001 + 1;
    char *many = malloc(cap);
    for (int i = 0; i < 100001; i++)
        memcpy(many + (size_t)i * one, "<ColorCorrection/>\n", one);
    int rc = reel_cdl_parse("t.ccc", many, one * 100000, &v, &n, &e);
    TAP_OK(rc == 0 && n == 100000 && v[99999].cdl.sat == 1, "100000 entries read");
    free(v);
    rc = reel_cdl_parse("t.ccc", many, one * 100001, &v, &n, &e);
    TAP_OK(rc == REEL_EINVAL && strstr(e.msg, "t.ccc:100001: more than 100000"),
           "100001 entries refused (%s)", e.msg);
    free(many);
}

/* g_ccc cut at every length, each prefix in a buffer of exactly that size (ASan: no read past). */
static void test_truncated(void)
{
    size_t len = strlen(g_ccc), parsed = 0, refused = 0, odd = 0;
    for (size_t k = 0; k <= len; k++) {
        char *b = malloc(k ? k : 1);
        memcpy(b, g_ccc, k);
        reel_cdl_entry *v = (reel_cdl_entry *)b;
        int n = -1;
        reel_err e = {0};
        int rc = reel_cdl_parse("t.ccc", b, k, &v, &n, &e);
        if (rc == 0 && v && n > 0)
            parsed++;
        else if (rc == REEL_EINVAL && !v && !n && !strncmp(e.msg, "t.ccc:", 6))
            refused++;
        else
            odd++;
        free(v);
        free(b);
    }
    TAP_OK(odd == 0 && parsed > 0 && refused > 0,
           "the .ccc cut at each of %zu lengths: %zu parse, %zu refused, %zu otherwise", len + 1,
           parsed, refused, odd);
}

int main(void)
{
    if (!mkdtemp(g_dir)) return 1;
    test_round_trip();
    test_foreign();
    test_edl();
    test_bad();
    test_truncated();
    reel_rmtree(g_dir, NULL);
    return tap_done();
}
