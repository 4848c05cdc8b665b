/* Words heard against the script's: normalisation (case, punctuation, contractions, numbers), and
 * the alignment's flubs: a word missed, a word added, a word replaced, two words swapped, with the
 * steps pointing at the right words on both sides; empty sides; the size limit. */
#include "script/align.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The words of text joined with single spaces. */
static const char *joined(const char *text)
{
    static char buf[512];
    reel_words w = {0};
    buf[0] = 0;
    if (reel_words_split(text, &w)) return "(out of memory)";
    for (int i = 0; i < w.n; i++) {
        size_t at = strlen(buf);
        snprintf(buf + at, sizeof buf - at, "%s%s", i ? " " : "", w.w[i]);
    }
    reel_words_free(&w);
    return buf;
}

/* The alignment of heard against script as one letter a step: = match, ~ sub, - miss, + extra,
 * x swap. */
static const char *ops(const char *script, const char *heard, reel_alignment *a)
{
    static char buf[256];
    reel_words s = {0}, h = {0};
    reel_err e = {0};
    buf[0] = 0;
    if (reel_words_split(script, &s) || reel_words_split(heard, &h) || reel_align_words(&s, &h, a, &e))
        return "(failed)";
    int k = 0;
    for (int i = 0; i < a->n && k < 255; i++) buf[k++] = "=~-+x"[a->steps[i].op];
    buf[k] = 0;
    reel_words_free(&s), reel_words_free(&h);
    return buf;
}

static void test_words(void)
{
    TAP_EQ_STR(joined("Don't STOP, ten-four!"), "don't stop ten four", "case folded, punctuation and hyphens split, apostrophes inside words kept");
    TAP_EQ_STR(joined("Go forward 10 meters."), "go forward ten meters", "a number is said as words (10)");
    TAP_EQ_STR(joined("42 and 105, 300 or 7"), "forty two and one hundred five three hundred or seven", "numbers up to 999");
    TAP_EQ_STR(joined("In 1999 at 007"), "in 1999 at 007", "years and leading zeros are left as written");
    TAP_EQ_STR(joined("'Cause José's café..."), "cause josé's café", "leading quotes dropped; letters outside ASCII kept");
    TAP_EQ_STR(joined("  ...  -- !"), "", "no words in punctuation");
    TAP_EQ_STR(joined("Mister Smith, Mr. Jones and Doctor Who, okay?"), "mr smith mr jones and dr who ok",
               "titles folded to the recogniser's spelling");
}

static void test_flubs(void)
{
    reel_alignment a;
    TAP_EQ_STR(ops("Go forward ten meters.", "go forward ten meters", &a), "====", "the line as written: every word matches");
    TAP_OK(a.accuracy == 1 && a.match == 4, "accuracy 1 (%.2f)", a.accuracy);
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("Go forward ten meters.", "go forward meters", &a), "==-=", "a missed word");
    TAP_OK(a.miss == 1 && a.steps[2].s == 2 && a.steps[2].h == -1 && a.accuracy == 0.75,
           "the miss points at script word 2 (ten); accuracy 0.75 (%.2f)", a.accuracy);
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("Go forward ten meters.", "go uh forward ten meters", &a), "=+===", "an extra word");
    TAP_OK(a.extra == 1 && a.steps[1].h == 1 && a.steps[1].s == -1 && a.accuracy == 1,
           "the extra points at heard word 1; nothing of the script is lost (accuracy %.2f)", a.accuracy);
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("Go forward ten meters.", "go backward ten meters", &a), "=~==", "a word replaced");
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("Go forward ten meters.", "forward go ten meters", &a), "x==", "two words swapped count as one flub");
    TAP_OK(a.swap == 1 && a.steps[0].s == 0 && a.steps[0].h == 0 && a.accuracy == 1,
           "the swap covers script words 0-1 and heard 0-1");
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("I never said she stole my money.", "I never said she stole money my money", &a), "=====+==",
               "a false start (money my money): one extra word, not a swap and a miss");
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("Forward go.", "go forward ten meters", &a), "x++", "a swap followed by extras: the swap wins the tie with a substitution");
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("Go forward.", "", &a), "--", "nothing heard: every word missed");
    TAP_OK(a.accuracy == 0, "accuracy 0");
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("", "hello there", &a), "++", "no script words: all heard words extra");
    TAP_OK(a.accuracy == 0, "accuracy 0 when something was said with no script");
    reel_alignment_free(&a);
    TAP_EQ_STR(ops("", "", &a), "", "both empty");
    TAP_OK(a.accuracy == 1, "accuracy 1 when nothing was to be said and nothing was");
    reel_alignment_free(&a);
}

static void test_limits(void)
{
    reel_words s = {0}, h = {0};
    reel_alignment a;
    reel_err e = {0};
    for (int i = 0; i < 9000; i++) reel_words_split(i % 7 ? "word" : "other", &s);
    for (int i = 0; i < 8000; i++) reel_words_split(i % 5 ? "word" : "other", &h);
    int rc = reel_align_words(&s, &h, &a, &e);
    TAP_OK(rc == REEL_EINVAL && strstr(e.msg, "scene by scene"), "9000 x 8000 words is refused: %s", e.msg);
    h.n = 2000;
    rc = reel_align_words(&s, &h, &a, &e);
    TAP_OK(rc == 0 && a.match + a.sub + a.miss + 2 * a.swap == 9000 && a.match + a.sub + a.extra + 2 * a.swap == 2000,
           "9000 x 2000 words aligned; every word on each side accounted for once");
    reel_alignment_free(&a);
    h.n = 8000;
    reel_words_free(&s), reel_words_free(&h);
}

int main(void)
{
    test_words();
    test_flubs();
    test_limits();
    return tap_done();
}
