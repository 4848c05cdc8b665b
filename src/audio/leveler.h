/* Dialogue leveling: a gain curve that brings each spoken line toward the programme's median
 * speech loudness, computed from the measuring pass's 400 ms blocks (every 100 ms) and their
 * speech flags. The loudness of a line is the energy mean of the speech blocks within +-0.7 s;
 * the gain follows it under speech (200 ms time constant) and holds still through pauses, so room
 * tone is never pumped between lines. */
#ifndef REEL_AUDIO_LEVELER_H
#define REEL_AUDIO_LEVELER_H

#include <stddef.h>

/* gain_db[n]: the gain for each block (its centre is 2 blocks, 200 ms, after its start).
 * max_boost / max_cut: dB limits. Returns the number of speech blocks used (0: no speech, all
 * gains 0). */
int reel_level_curve(const double *energy, const unsigned char *speech, int n, double max_boost, double max_cut,
                     double *gain_db);

/* Gain (dB) at sample s of a curve whose block b starts at b * step samples (step = 100 ms). */
double reel_level_at(const double *gain_db, int n, double step, double s);

#endif
