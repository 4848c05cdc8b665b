/* Unit tests for SMPTE timecode: frame <-> string tables for every common rate, drop-frame
 * (29.97, 59.94) round trips over a whole day's boundaries, and parse errors. */
#include "media/media.h"
#include "tap.h"

typedef struct tc_case {
    int num, den, drop;
    int64_t frame;
    const char *tc;
} tc_case;

static const tc_case k_cases[] = {
    {24000, 1001, 0, 0, "00:00:00:00"},
    {24000, 1001, 0, 23, "00:00:00:23"},
    {24000, 1001, 0, 24, "00:00:01:00"},
    {24000, 1001, 0, 86400, "01:00:00:00"},
    {24, 1, 0, 1439, "00:00:59:23"},
    {24, 1, 0, 1440, "00:01:00:00"},
    {25, 1, 0, 90000, "01:00:00:00"},
    {25, 1, 0, 90024, "01:00:00:24"},
    {25, 1, 0, 2159999, "23:59:59:24"},
    {30000, 1001, 1, 0, "00:00:00;00"},
    {30000, 1001, 1, 29, "00:00:00;29"},
    {30000, 1001, 1, 1799, "00:00:59;29"},
    {30000, 1001, 1, 1800, "00:01:00;02"},
    {30000, 1001, 1, 1801, "00:01:00;03"},
    {30000, 1001, 1, 3597, "00:01:59;29"},
    {30000, 1001, 1, 3598, "00:02:00;02"},
    {30000, 1001, 1, 17981, "00:09:59;29"},
    {30000, 1001, 1, 17982, "00:10:00;00"},
    {30000, 1001, 1, 17983, "00:10:00;01"},
    {30000, 1001, 1, 19782, "00:11:00;02"},
    {30000, 1001, 1, 107892, "01:00:00;00"},
    {30000, 1001, 0, 1800, "00:01:00:00"},
    {30, 1, 0, 1800, "00:01:00:00"},
    {30, 1, 0, 108000, "01:00:00:00"},
    {50, 1, 0, 180000, "01:00:00:00"},
    {60000, 1001, 1, 3599, "00:00:59;59"},
    {60000, 1001, 1, 3600, "00:01:00;04"},
    {60000, 1001, 1, 35964, "00:10:00;00"},
    {60000, 1001, 1, 215784, "01:00:00;00"},
    {60, 1, 0, 216000, "01:00:00:00"},
};

static void test_table(void)
{
    for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++) {
        const tc_case *c = &k_cases[i];
        reel_rational fps = {c->num, c->den};
        char buf[32];
        int rc = reel_tc_to_string(c->frame, fps, c->drop, buf);
        TAP_OK(rc == 0 && !strcmp(buf, c->tc), "%d/%d %s: frame %lld -> %s (got %s)", c->num, c->den,
               c->drop ? "DF" : "NDF", (long long)c->frame, c->tc, buf);
        int drop = -1;
        int64_t f = reel_tc_parse(c->tc, fps, &drop);
        TAP_OK(f == c->frame && drop == c->drop, "%d/%d: %s -> frame %lld (got %lld, drop %d)", c->num,
               c->den, c->tc, (long long)c->frame, (long long)f, drop);
    }
}

/* Every frame of the first two hours round-trips at 29.97 and 59.94 DF. */
static void test_roundtrip(void)
{
    const reel_rational rates[] = {{30000, 1001}, {60000, 1001}};
    for (int r = 0; r < 2; r++) {
        int64_t bad = -1, n = (int64_t)reel_tc_base(rates[r]) * 7200;
        for (int64_t f = 0; f < n && bad < 0; f++) {
            char buf[32];
            int drop = 0;
            if (reel_tc_to_string(f, rates[r], 1, buf) < 0 || reel_tc_parse(buf, rates[r], &drop) != f ||
                !drop)
                bad = f;
        }
        TAP_EQ_INT(bad, -1, "%d/%d DF: every frame of two hours round-trips", rates[r].num,
                   rates[r].den);
    }
}

static void test_errors(void)
{
    const reel_rational ntsc = {30000, 1001}, pal = {25, 1};
    const char *bad[] = {"", "1:00:00:00", "01:00:00", "01:00:00:25", "01:60:00:00", "01:00:60:00",
                         "24:00:00:00", "aa:bb:cc:dd", "01:00:00:00 ", "01-00-00-00", "01:00:00;00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        TAP_OK(reel_tc_parse(bad[i], pal, NULL) < 0, "25 fps: '%s' is refused", bad[i]);
    TAP_OK(reel_tc_parse(NULL, pal, NULL) < 0, "NULL is refused");
    TAP_OK(reel_tc_parse("00:01:00;00", ntsc, NULL) < 0, "29.97 DF: 00:01:00;00 was dropped");
    TAP_OK(reel_tc_parse("00:01:00;01", ntsc, NULL) < 0, "29.97 DF: 00:01:00;01 was dropped");
    TAP_OK(reel_tc_parse("00:10:00;00", ntsc, NULL) == 17982, "29.97 DF: tenth minute keeps ;00");
    TAP_OK(reel_tc_parse("00:00:00:30", ntsc, NULL) < 0, "29.97: frame 30 does not exist");
    char buf[32];
    TAP_OK(reel_tc_to_string(5, pal, 1, buf) < 0, "drop frame at 25 fps is refused");
    TAP_OK(reel_tc_to_string(-1, pal, 0, buf) < 0, "negative frame is refused");
    TAP_OK(reel_tc_to_string(5, (reel_rational){0, 1}, 0, buf) < 0, "zero rate is refused");
    TAP_OK(reel_tc_to_string(5, (reel_rational){30, 1}, 1, buf) < 0, "drop frame at exact 30 is refused");
}

static void test_base(void)
{
    TAP_EQ_INT(reel_tc_base((reel_rational){24000, 1001}), 24, "base of 23.976 is 24");
    TAP_EQ_INT(reel_tc_base((reel_rational){30000, 1001}), 30, "base of 29.97 is 30");
    TAP_EQ_INT(reel_tc_base((reel_rational){60000, 1001}), 60, "base of 59.94 is 60");
    TAP_EQ_INT(reel_tc_base((reel_rational){25, 1}), 25, "base of 25 is 25");
    TAP_EQ_INT(reel_tc_base((reel_rational){0, 0}), 0, "base of 0/0 is 0");
    char buf[32];
    TAP_OK(reel_tc_to_string(25LL * 86400 + 3, (reel_rational){25, 1}, 0, buf) == 0 &&
               !strcmp(buf, "00:00:00:03"),
           "timecode wraps at 24 hours (got %s)", buf);
}

int main(void)
{
    reel_init();
    test_table();
    test_roundtrip();
    test_errors();
    test_base();
    return tap_done();
}
