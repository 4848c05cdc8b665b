/* Fountain screenplays (fountain.io/syntax): the script the editor cuts to. A parse gives the
 * script's elements in order (title page entries, scene headings, action, characters, dialogue,
 * parentheticals, lyrics, transitions, centered text, sections, synopses, page breaks), each with
 * its plain text (emphasis markers, [[notes]] and the boneyard, text between slash-star and
 * star-slash, removed), the source line it starts on and the scene it belongs to.
 *
 * The rules are the syntax guide's: a scene heading begins with INT, EXT, EST, INT./EXT, INT/EXT or
 * I/E and a dot or space, has blank lines around it and may end in a #scene number#, or is forced
 * with a leading dot; a character is an uppercase line (at least one letter) after a blank line and
 * before a non-blank one, or forced with @, with an extension such as (V.O.) and ^ for the second
 * half of dual dialogue; dialogue and (parentheticals) follow it to the next blank line, a line of
 * two spaces keeping the speech going; a transition is uppercase, ends in TO: and has blank lines
 * around it, or is forced with >; > TEXT < is centered; ! forces action, ~ marks lyrics, # sections,
 * = synopses, === a page break. Everything else is action. The title page is the leading block of
 * known keys (Title, Credit, Author(s), Source, Draft date, Date, Contact, Copyright, Notes,
 * Revision) with values on the line or indented below it.
 *
 * Letters outside ASCII count as neither upper nor lower case when deciding what is a character's
 * name: JOSÉ is a name and José is not (its o and s are lower case), but a line whose only letters
 * are outside ASCII is taken for a name whatever their case. */
#ifndef REEL_SCRIPT_FOUNTAIN_H
#define REEL_SCRIPT_FOUNTAIN_H

#include "reel/reel.h"
#include "script/align.h"
#include <stddef.h>

typedef enum reel_ftn_type {
    REEL_FTN_TITLE,         /* a title page entry: key in name, value in text */
    REEL_FTN_SCENE,         /* a scene heading; its scene number, if any, in number */
    REEL_FTN_ACTION,
    REEL_FTN_CHARACTER,     /* name in name, extension ("(V.O.)") in ext */
    REEL_FTN_PARENTHETICAL, /* "(beat)"; the speaker in name */
    REEL_FTN_DIALOGUE,      /* the speaker in name; lines joined with \n */
    REEL_FTN_LYRICS,
    REEL_FTN_TRANSITION,
    REEL_FTN_CENTERED,
    REEL_FTN_SECTION,       /* depth (number of #) in level */
    REEL_FTN_SYNOPSIS,
    REEL_FTN_PAGE_BREAK,
} reel_ftn_type;

typedef struct reel_ftn_elem {
    reel_ftn_type type;
    char *text;       /* plain text, never NULL ("" for a page break) */
    char *name;       /* see reel_ftn_type; NULL where it does not apply */
    char *ext;        /* CHARACTER: the extension after the name, as written; else NULL */
    char number[32];  /* SCENE: the scene number between # marks, or "" */
    int line;         /* 1-based line of the file the element starts on */
    int scene;        /* 0-based index of the scene it is in, -1 before the first heading */
    int level;        /* SECTION: 1 for #, 2 for ##, ... */
    int dual;         /* CHARACTER, PARENTHETICAL, DIALOGUE: the second speaker of dual dialogue */
} reel_ftn_elem;

typedef struct reel_fountain {
    reel_ftn_elem *el;
    int n, cap;
    int scenes; /* scene headings */
} reel_fountain;

/* Parse len bytes of text (UTF-8; a BOM, CRLF and CR line ends are accepted) read from path (named
 * in errors). 0, or REEL_EINVAL naming path:LINE for bytes that are not UTF-8 text (a NUL, a bad
 * sequence) and REEL_ENOMEM. Any text is a screenplay: what matches no rule is action. */
int reel_fountain_parse(const char *path, const char *text, size_t len, reel_fountain *f, reel_err *e);
/* Read and parse a file: REEL_EIO / REEL_ENOTFOUND naming it when it cannot be read, REEL_EINVAL
 * when it is over 16 MiB or not text. */
int reel_fountain_load(const char *path, reel_fountain *f, reel_err *e);
void reel_fountain_free(reel_fountain *f);
/* Append the words (reel_words_split) of the dialogue of scene `scene` (0-based; -1: every scene)
 * to out: what a take of that scene should say. 0 or REEL_ENOMEM. */
int reel_fountain_dialogue_words(const reel_fountain *f, int scene, reel_words *out);
/* "scene", "action", "character", ... (the JSON and report name of a type). */
const char *reel_ftn_type_name(reel_ftn_type t);

#endif
