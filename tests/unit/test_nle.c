/* Cuts written as OTIO, CMX3600, FCP7 XML and FCPXML and read back, at 23.976, 25 and 29.97 drop
 * frame, over real clips: the same items, frames and dissolves must come back, and each file must
 * keep its format's rules (EDL columns, frame-aligned FCPXML times, resolvable ids and links). */
#include "tap.h"
#include "timeline/nle.h"
#include "util/fsutil.h"
#include "util/xml.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char real[1024];

static void item(reel_nle_seq *s, const char *file, double in, double out, double dis, int black)
{
    reel_tl_item it = {.src_in = in, .src_out = out, .dissolve = dis, .black = black};
    snprintf(it.name, sizeof it.name, "%s", black ? "black" : file);
    if (!black) snprintf(it.path, sizeof it.path, "%s/%s", real, file);
    reel_timeline_add(&s->tl, &it);
}

/* Five items over three real files, one used twice; two dissolves and a black filler. */
static void build(reel_nle_seq *s, reel_rational fps, int drop)
{
    memset(s, 0, sizeof *s);
    snprintf(s->title, sizeof s->title, "Scene 1 & 2 <first cut>");
    item(s, "box.mp4", 1.0, 4.0, 0, 0);
    item(s, "cityCC0.mpg", 0.5, 3.5, 0.5, 0);
    item(s, NULL, 0, 1.0, 0, 1);
    item(s, "Megamind.avi", 2.0, 6.0, 0, 0);
    item(s, "box.mp4", 5.0, 9.0, 1.0, 0);
    reel_err e = {0};
    int rc = reel_nle_probe(s, &e);
    if (rc) printf("# probe: %s\n", e.msg);
    s->fps = fps, s->drop = drop;
}

static int same(const reel_nle_seq *a, const reel_nle_seq *b, const char *what)
{
    reel_nle_event *ea = NULL, *eb = NULL;
    reel_err e = {0};
    int ok = a->tl.n == b->tl.n && !reel_nle_layout(a, &ea, &e) && !reel_nle_layout(b, &eb, &e);
    for (int i = 0; ok && i < a->tl.n; i++) {
        const reel_tl_item *x = &a->tl.items[i], *y = &b->tl.items[i];
        ok = x->black == y->black && (x->black || !strcmp(reel_basename(x->path), reel_basename(y->path))) &&
             ea[i].src_in == eb[i].src_in && ea[i].src_out == eb[i].src_out && ea[i].dis == eb[i].dis &&
             ea[i].rec_in == eb[i].rec_in;
        if (!ok)
            printf("# %s item %d: %s %lld-%lld dis %lld / back %s %lld-%lld dis %lld\n", what, i + 1, x->name,
                   (long long)ea[i].src_in, (long long)ea[i].src_out, (long long)ea[i].dis, y->name,
                   (long long)eb[i].src_in, (long long)eb[i].src_out, (long long)eb[i].dis);
    }
    if (a->tl.n != b->tl.n) printf("# %s: %d items, %d back (%s)\n", what, a->tl.n, b->tl.n, e.msg);
    free(ea), free(eb);
    return ok;
}

static void round_trip(reel_nle_format f, reel_rational fps, int drop, const char *rate)
{
    static const char *const ext[] = {"otio", "edl", "xml", "fcpxml"};
    reel_nle_seq s, back;
    build(&s, fps, drop);
    char path[256];
    snprintf(path, sizeof path, "/tmp/reel_nle_%d.%s", (int)getpid(), ext[f]);
    reel_err e = {0};
    int rc = reel_nle_save(path, &s, &e);
    const char *dirs[] = {real};
    if (!rc) rc = reel_nle_load(path, fps, dirs, 1, &back, &e);
    TAP_OK(!rc && same(&s, &back, ext[f]), "%s at %s: every item, frame and dissolve comes back (%s)",
           reel_nle_format_name(f), rate, rc ? e.msg : "read");
    if (!rc && f != REEL_NLE_EDL) {
        TAP_OK(back.fps.num == fps.num && back.fps.den == fps.den && back.drop == drop,
               "%s at %s: the rate %d/%d and %s timecode come back as %d/%d %s", ext[f], rate, fps.num, fps.den,
               drop ? "drop-frame" : "non-drop", back.fps.num, back.fps.den, back.drop ? "DF" : "NDF");
        TAP_EQ_STR(back.title, s.title, "%s: the title comes back, escaped and unescaped", ext[f]);
    }
    if (!rc) reel_nle_free(&back);
    reel_nle_free(&s);
    unlink(path);
}

/* CMX3600 columns: event 1-3, reel 6-13, channels 15-20, transition 21-25, duration 26-28,
 * timecodes from 30, 11 characters each with one space between. */
static void edl_columns(void)
{
    reel_nle_seq s;
    build(&s, (reel_rational){30000, 1001}, 1);
    reel_err e = {0};
    char *t = reel_edl_write(&s, &e);
    int events = 0, bad = 0, contiguous = 1;
    long long last_rec = -1;
    for (char *l = t ? strtok(t, "\n") : NULL; l; l = strtok(NULL, "\n")) {
        if (l[0] < '0' || l[0] > '9') continue;
        events++;
        int ok = strlen(l) == 29 + 4 * 11 + 3 && l[3] == ' ' && l[4] == ' ' && l[13] == ' ' && l[28] == ' ';
        for (int k = 0; ok && k < 4; k++) {
            const char *tc = l + 29 + 12 * k;
            ok = tc[2] == ':' && tc[5] == ':' && (tc[8] == ';') == 1 && (k == 3 || tc[11] == ' ');
        }
        if (!ok) bad++, printf("# bad columns: '%s'\n", l);
        char rin_s[12], rout[12];
        memcpy(rin_s, l + 29 + 24, 11), rin_s[11] = 0;
        memcpy(rout, l + 29 + 36, 11), rout[11] = 0;
        long long rin = reel_tc_parse(rin_s, s.fps, NULL);
        if (last_rec >= 0 && rin != last_rec) contiguous = 0;
        last_rec = reel_tc_parse(rout, s.fps, NULL);
    }
    TAP_OK(t && events == 7 && !bad, "EDL: %d event lines (5 items, 2 dissolve pairs), all on the CMX3600 columns with ';' drop-frame timecodes",
           events);
    TAP_OK(contiguous, "EDL: each event's record in is the previous one's record out");
    free(t);
    reel_nle_free(&s);
}

/* Every time attribute in the FCPXML must be a whole number of frames. */
static int frame_aligned(const xml_node *n, reel_rational fps)
{
    static const char *const attrs[] = {"offset", "start", "duration", "tcStart"};
    int ok = 1;
    for (int k = 0; k < 4; k++) {
        const char *v = xml_attr(n, attrs[k]);
        long long a = 0, b = 1;
        if (!v || !strcmp(n->name, "asset")) continue;
        if (sscanf(v, "%lld/%llds", &a, &b) < 2 && sscanf(v, "%llds", &a) != 1) return 0;
        if ((a * fps.num) % (b * fps.den)) printf("# %s %s=%s is not on a frame\n", n->name, attrs[k], v), ok = 0;
    }
    for (int k = 0; k < n->n_kid; k++) ok &= frame_aligned(n->kid[k], fps);
    return ok;
}

static int refs_resolve(const xml_node *n, const xml_node *res)
{
    const char *r = xml_attr(n, "ref");
    int ok = 1;
    if (r) {
        ok = 0;
        for (int k = 0; k < res->n_kid; k++)
            if (xml_attr(res->kid[k], "id") && !strcmp(xml_attr(res->kid[k], "id"), r)) ok = 1;
        if (!ok) printf("# ref %s not in resources\n", r);
    }
    for (int k = 0; k < n->n_kid; k++) ok &= refs_resolve(n->kid[k], res);
    return ok;
}

static void fcpxml_rules(void)
{
    reel_nle_seq s;
    build(&s, (reel_rational){24000, 1001}, 0);
    reel_err e = {0};
    char *t = reel_fcpxml_write(&s, &e);
    xml_node *root = NULL;
    int rc = t ? xml_parse("cut.fcpxml", t, strlen(t), &root, &e) : -1;
    TAP_OK(!rc && !strcmp(root->name, "fcpxml") && !strcmp(xml_attr(root, "version"), "1.9"),
           "FCPXML is well-formed XML with an fcpxml 1.9 root (%s)", rc ? e.msg : "ok");
    const xml_node *res = root ? xml_child(root, "resources") : NULL;
    const xml_node *fmt = xml_child(res, "format");
    TAP_EQ_STR(fmt ? xml_attr(fmt, "frameDuration") : NULL, "1001/24000s", "FCPXML: 23.976 is frameDuration 1001/24000s");
    TAP_OK(root && frame_aligned(root, s.fps), "FCPXML: every offset, start and duration is a whole frame");
    TAP_OK(root && res && refs_resolve(root, res), "FCPXML: every ref names a resource");
    int assets = 0;
    for (int k = 0; res && k < res->n_kid; k++) assets += !strcmp(res->kid[k]->name, "asset");
    TAP_EQ_INT(assets, 3, "FCPXML: one asset per source file (box.mp4 is used twice)");
    xml_free(root);
    free(t);
    reel_nle_free(&s);
}

static int count(const char *t, const char *pat)
{
    int n = 0;
    for (const char *p = t; (p = strstr(p, pat)); p++) n++;
    return n;
}

static void fcp7_rules(void)
{
    reel_nle_seq s;
    build(&s, (reel_rational){25, 1}, 0);
    reel_err e = {0};
    char *t = reel_fcp7_write(&s, &e);
    xml_node *root = NULL;
    int rc = t ? xml_parse("cut.xml", t, strlen(t), &root, &e) : -1;
    TAP_OK(!rc && !strcmp(root->name, "xmeml") && !strcmp(xml_attr(root, "version"), "5"),
           "FCP7 XML is well-formed with an xmeml version 5 root (%s)", rc ? e.msg : "ok");
    TAP_EQ_INT(count(t ? t : "", "<pathurl>"), 3, "FCP7 XML: each file is defined once (three files)");
    TAP_EQ_INT(count(t ? t : "", "<transitionitem>"), 2 + s.channels,
               "FCP7 XML: both dissolves on the video track, on the audio tracks the one between clips with sound");
    int links = 0, dangling = 0;
    for (const char *p = t ? t : ""; (p = strstr(p, "<linkclipref>")); p++, links++) {
        char id[64], want[96];
        if (sscanf(p + 13, "%63[^<]", id) != 1) continue;
        snprintf(want, sizeof want, "<clipitem id=\"%s\">", id);
        if (!strstr(t, want)) dangling++, printf("# link to missing %s\n", id);
    }
    TAP_OK(links == 3 * (1 + s.channels) * (1 + s.channels) && !dangling,
           "FCP7 XML: each item of the 3 clips with sound links its picture and every sound channel (%d links, %d dangling)",
           links, dangling);
    TAP_OK(strstr(t ? t : "", "<timebase>25</timebase><ntsc>FALSE</ntsc>") != NULL, "FCP7 XML: 25 fps is timebase 25, ntsc FALSE");
    xml_free(root);
    free(t);
    reel_nle_free(&s);
}

static void otio_rules(void)
{
    reel_nle_seq s;
    build(&s, (reel_rational){25, 1}, 0);
    reel_err e = {0};
    char *t = reel_otio_write(&s, &e);
    json_t *j = t ? json_loads(t, 0, NULL) : NULL;
    json_t *tracks = json_object_get(json_object_get(j, "tracks"), "children");
    int ok = json_array_size(tracks) == 2;
    for (size_t k = 0; ok && k < 2; k++) {
        json_t *kids = json_object_get(json_array_get(tracks, k), "children");
        for (size_t c = 0; ok && c < json_array_size(kids); c++) {
            json_t *o = json_array_get(kids, c);
            const char *sc = json_string_value(json_object_get(o, "OTIO_SCHEMA"));
            ok = sc && (!strcmp(sc, "Transition.1") ? json_object_get(o, "in_offset") && json_object_get(o, "out_offset")
                                                    : json_object_get(o, "source_range") && json_object_get(o, "effects") &&
                                                          json_object_get(o, "markers") && json_object_get(o, "metadata"));
        }
    }
    TAP_OK(ok, "OTIO: a Video and an Audio track; every item has its schema's fields");
    json_decref(j);
    free(t);
    reel_nle_free(&s);
}

static void bad_input(void)
{
    reel_nle_seq s;
    reel_err e = {0};
    const char *dirs[] = {real};
    const char *xml = "<xmeml version=\"5\"><sequence><rate><timebase>25</timebase></rate><media><video><track>\n"
                      "<clipitem><in>0</in><out>10</out><file id=\"f\"><pathurl>file:///nowhere/lost_take.mov</pathurl>"
                      "</file></clipitem></track></video></media></sequence></xmeml>";
    int rc = reel_fcp7_parse("cut.xml", xml, strlen(xml), dirs, 1, &s, &e);
    TAP_OK(rc == REEL_ENOTFOUND && strstr(e.msg, "lost_take.mov"), "a source clip found nowhere is named: %s", e.msg);
    reel_nle_free(&s);
    const char *broken = "<fcpxml version=\"1.9\">\n<resources>\n</fcpxml>";
    memset(&s, 0, sizeof s);
    rc = reel_fcpxml_parse("cut.fcpxml", broken, strlen(broken), dirs, 1, &s, &e);
    TAP_OK(rc == REEL_EINVAL && strstr(e.msg, "cut.fcpxml:3") && strstr(e.msg, "resources"),
           "an end tag that closes the wrong element is refused with its line: %s", e.msg);
    reel_nle_free(&s);
    memset(&s, 0, sizeof s);
    rc = reel_otio_parse("cut.otio", "{\"OTIO_SCHEMA\": \"Clip.1\"}", 25, dirs, 1, &s, &e);
    TAP_OK(rc == REEL_EINVAL && strstr(e.msg, "not an OTIO Timeline"), "a JSON file that is not a Timeline: %s", e.msg);
    reel_nle_free(&s);
    TAP_OK(reel_nle_save("/tmp/cut.mov", &s, &e) == REEL_EINVAL && strstr(e.msg, ".fcpxml"),
           "an unknown extension lists the formats: %s", e.msg);
}

static void xml_reader(void)
{
    xml_node *r = NULL;
    reel_err e = {0};
    const char *t = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<!-- c -->"
                    "<a k='1 &amp; 2' fcp:n=\"x\"><b>  &lt;t&gt; &#233;&#x41; </b><![CDATA[<raw>]]></a>";
    int rc = xml_parse("t.xml", t, strlen(t), &r, &e);
    TAP_OK(!rc && !strcmp(xml_attr(r, "k"), "1 & 2") && !strcmp(xml_attr(r, "n"), "x") &&
               !strcmp(xml_child_text(r, "b"), "<t> \xC3\xA9" "A") && !strcmp(r->text, "<raw>"),
           "XML: BOM, declaration, DOCTYPE subset, comments, entities, prefixes and CDATA (%s)", rc ? e.msg : "ok");
    xml_free(r);
    static const char *const bad[] = {"<a><b></a>", "<a x=1/>", "<a/><b/>", "<a>&nope;</a>", "<a x='1' x='2'/>", "<a>"};
    for (int k = 0; k < 6; k++) {
        rc = xml_parse("t.xml", bad[k], strlen(bad[k]), &r, &e);
        TAP_OK(rc == REEL_EINVAL && !r && strstr(e.msg, "t.xml:1:"), "XML: '%s' refused: %s", bad[k], e.msg);
    }
    char deep[300 * 3 + 1] = "";
    for (int k = 0; k < 300; k++) strcat(deep, "<a>");
    rc = xml_parse("t.xml", deep, strlen(deep), &r, &e);
    TAP_OK(rc == REEL_EINVAL && strstr(e.msg, "deeper"), "XML: nesting deeper than 256 refused: %s", e.msg);
}

int main(void)
{
    snprintf(real, sizeof real, "%s/real", getenv("REEL_MEDIA") ? getenv("REEL_MEDIA") : ".cache/media");
    char *abs = reel_abspath(real);
    snprintf(real, sizeof real, "%s", abs);
    free(abs);
    static const struct { reel_rational fps; int drop; const char *name; } rates[] = {
        {{24000, 1001}, 0, "23.976"}, {{25, 1}, 0, "25"}, {{30000, 1001}, 1, "29.97 DF"}};
    for (int f = 0; f < 4; f++)
        for (int r = 0; r < 3; r++) round_trip((reel_nle_format)f, rates[r].fps, rates[r].drop, rates[r].name);
    edl_columns();
    fcpxml_rules();
    fcp7_rules();
    otio_rules();
    bad_input();
    xml_reader();
    return tap_done();
}
