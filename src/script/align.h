/* Words heard in a take against the words of the script: the editor's measure of dialogue accuracy.
 * Both sides are cut into normalised words (reel_words_split), then aligned at the least number of
 * edits, where an edit is a word missed, a word added, a word said in place of another, or two
 * neighbouring words said in the other order. The alignment's steps point back into both word
 * lists, so a flub can be named with the script's words and the take's time. */
#ifndef REEL_SCRIPT_ALIGN_H
#define REEL_SCRIPT_ALIGN_H

#include "reel/reel.h"

typedef struct reel_words {
    char **w;
    int n;
} reel_words;

/* text's words: ASCII folded to lower case; letters, digits, bytes outside ASCII and apostrophes
 * inside a word kept, everything else a separator (so ten-four is two words); whole numbers up to
 * 999 written out as words, the way speech recognisers hear them (10 -> ten, 105 -> one hundred
 * five); mister, missus, doctor and okay folded to mr, mrs, dr and ok, as the recogniser's dictionary
 * spells them. Appends to out (zeroed first by the caller); 0 or REEL_ENOMEM. */
int reel_words_split(const char *text, reel_words *out);
void reel_words_free(reel_words *w);

typedef enum reel_aln_op {
    REEL_ALN_MATCH, /* script word s heard as h */
    REEL_ALN_SUB,   /* h said in place of script word s */
    REEL_ALN_MISS,  /* script word s not said (h is -1) */
    REEL_ALN_EXTRA, /* h said, not in the script (s is -1) */
    REEL_ALN_SWAP,  /* script words s, s+1 said as h, h+1 in the other order */
} reel_aln_op;

typedef struct reel_aln_step {
    reel_aln_op op;
    int s, h;
} reel_aln_step;

typedef struct reel_alignment {
    reel_aln_step *steps; /* in script order */
    int n;
    int match, sub, miss, extra, swap;
    double accuracy; /* script words said as written (a swap's two count as said) over script words; 1 for
                        an empty script with nothing heard, 0 with something heard */
} reel_alignment;

/* Align heard against script. REEL_EINVAL when script->n * heard->n is over 64 million (align scene
 * by scene), REEL_ENOMEM. Among alignments with the fewest edits, the one with the most script
 * words said wins (forward go heard as go forward ten: a swap and two extras, not a substitution);
 * the same inputs always give the same steps. */
int reel_align_words(const reel_words *script, const reel_words *heard, reel_alignment *a, reel_err *e);
void reel_alignment_free(reel_alignment *a);

#endif
