/* Slate-style file names (slate.h): a keyword scan (S12_SH3_T4 and its spellings) and two token
 * forms (12A-4, 12-3-4), each refusing whatever it does not fully account for. */
#include "script/slate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_sep(char c) { return c == '_' || c == '-' || c == '.' || c == ' '; }

/* The keyword of kw[] that s starts with (longest first in kw), its length; 0 if none. */
static size_t keyword(const char *s, const char *const *kw)
{
    for (; *kw; kw++)
        if (!strncmp(s, *kw, strlen(*kw))) return strlen(*kw);
    return 0;
}

/* Digits (at most max) at s into out; their count, 0 if none or too many. */
static size_t digits(const char *s, size_t max, char *out, size_t cap)
{
    size_t n = 0;
    while (isdigit((unsigned char)s[n])) n++;
    if (!n || n > max || n >= cap) return 0;
    memcpy(out, s, n), out[n] = 0;
    return n;
}

/* Up to two letters at s that end at a separator or the end: a setup letter such as the A of 12A. */
static size_t setup_letters(const char *s, char *out)
{
    size_t n = 0;
    while (n < 3 && isalpha((unsigned char)s[n])) n++;
    if (!n || n > 2 || (s[n] && !is_sep(s[n]))) return 0;
    for (size_t i = 0; i < n; i++) out[i] = (char)toupper((unsigned char)s[i]);
    out[n] = 0;
    return n;
}

/* One field: a keyword of kw, an optional separator, digits (and for a scene or shot, setup letters
 * into letters). Its length, 0 if s does not start with one. */
static size_t field(const char *s, const char *const *kw, size_t max_digits, char *num, size_t cap, char *letters)
{
    size_t k = keyword(s, kw);
    if (!k) return 0;
    if (is_sep(s[k])) k++;
    size_t d = digits(s + k, max_digits, num, cap);
    if (!d) return 0;
    k += d;
    if (letters) k += setup_letters(s + k, letters);
    return k;
}

static size_t skip_seps(const char *s)
{
    size_t n = 0;
    while (is_sep(s[n])) n++;
    return n;
}

/* The keyword form starting at s: scene, optional shot, take; then the end or a separator. */
static int keyword_form(const char *s, reel_slate *out)
{
    static const char *const scene_kw[] = {"scene", "sc", "s", NULL}, *const shot_kw[] = {"shot", "sh", NULL},
                             *const take_kw[] = {"take", "tk", "t", NULL};
    char setup[4] = "", take[8], shot_setup[4] = "";
    size_t k = field(s, scene_kw, 4, out->scene, sizeof out->scene, setup);
    if (!k) return 0;
    k += skip_seps(s + k);
    size_t sh = field(s + k, shot_kw, 3, out->shot, sizeof out->shot, shot_setup);
    if (sh) k += sh + skip_seps(s + k + sh);
    size_t t = field(s + k, take_kw, 3, take, sizeof take, NULL);
    if (!t || (s[k + t] && !is_sep(s[k + t]))) return 0;
    if (!sh && setup[0]) snprintf(out->shot, sizeof out->shot, "%s", setup);
    else if (sh && shot_setup[0]) strncat(out->shot, shot_setup, sizeof out->shot - strlen(out->shot) - 1);
    out->take = atoi(take);
    return out->take > 0;
}

/* A token after the slate that names a camera or a version: cam, camb, acam, b, v2. */
static int trailer(const char *t)
{
    size_t n = strlen(t);
    if (n == 1 && isalpha((unsigned char)t[0])) return 1;
    if (!strncmp(t, "cam", 3) && n <= 4) return 1;
    if (n == 4 && !strcmp(t + 1, "cam")) return 1;
    if (t[0] == 'v' && n >= 2 && n <= 4 && strspn(t + 1, "0123456789") == n - 1) return 1;
    return 0;
}

/* The token forms: 12A-4, 12A_T4, 12-3-4, 12_4, each with an optional trailer. */
static int token_form(char *s, reel_slate *out)
{
    char *tok[6];
    int n = 0;
    for (char *p = strtok(s, "_-. "); p; p = strtok(NULL, "_-. ")) {
        if (n == 5) return 0;
        tok[n++] = p;
    }
    if (n >= 3 && trailer(tok[n - 1])) n--;
    if (n < 2 || n > 3) return 0;
    char setup[4] = "", take[8];
    size_t d = digits(tok[0], 4, out->scene, sizeof out->scene);
    if (!d || (tok[0][d] && (!setup_letters(tok[0] + d, setup) || n == 3))) return 0;
    if (n == 3 && (strspn(tok[1], "0123456789") != strlen(tok[1]) || !digits(tok[1], 3, out->shot, sizeof out->shot)))
        return 0;
    const char *t = tok[n - 1];
    static const char *const take_kw[] = {"take", "tk", "t", NULL};
    t += keyword(t, take_kw);
    size_t td = digits(t, 3, take, sizeof take);
    if (!td || t[td]) return 0;
    if (setup[0]) snprintf(out->shot, sizeof out->shot, "%s", setup);
    out->take = atoi(take);
    return out->take > 0;
}

/* "03" -> "3", "012A" -> "12A": numbers as a script writes them. */
static void strip_zeros(char *v)
{
    size_t z = 0;
    while (v[z] == '0' && isdigit((unsigned char)v[z + 1])) z++;
    memmove(v, v + z, strlen(v + z) + 1);
}

static int found(reel_slate *s)
{
    strip_zeros(s->scene), strip_zeros(s->shot);
    return 1;
}

int reel_slate_from_name(const char *path, reel_slate *s)
{
    char name[256];
    const char *base = strrchr(path, '/');
    snprintf(name, sizeof name, "%s", base ? base + 1 : path);
    char *dot = strrchr(name, '.');
    if (dot && dot != name && strlen(dot) <= 6) *dot = 0; /* the extension */
    for (char *p = name; *p; p++) *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; name[i]; i++) {
        if (i && !is_sep(name[i - 1])) continue; /* a slate starts at the name's start or after a separator */
        memset(s, 0, sizeof *s);
        if (keyword_form(name + i, s)) return found(s);
    }
    memset(s, 0, sizeof *s);
    if (token_form(name, s)) return found(s);
    memset(s, 0, sizeof *s);
    return 0;
}
