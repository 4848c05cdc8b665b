/* Scene, shot and take from a clip's file name, when the name follows a slate: the editor matches
 * such clips to the script's scenes without listening to them. Recognised (any case; separators
 * _ - . and space):
 *   keywords   S12_SH3_T4, SC12_SH03_TK4, Scene12_Shot3_Take4, scene12shot3take4, S12A_T2
 *   US slate   12A-4, 12A_T4, 12A_TK4 (scene 12, setup A, take 4)
 *   numbers    12-3-4 (scene, shot, take), 12_4 (scene, take)
 * A trailing camera or version token (camA, A_cam, v2) is allowed after the slate. Camera-made names
 * (A001C003_220101_R1AB, MVI_0042, DSC_0001, GOPR0042, C0001) are not slates: nothing is read from
 * them. */
#ifndef REEL_SCRIPT_SLATE_H
#define REEL_SCRIPT_SLATE_H

typedef struct reel_slate {
    char scene[16]; /* "12", "12A": the scene number as the script writes it; "" when not found */
    char shot[16];  /* "3", or the setup letter "A"; "" when the name has none */
    int take;       /* from 1; 0 when not found */
} reel_slate;

/* Read path's file name (its folder and extension ignored) into *s. 1 when it is a slate (a scene
 * and a take at least), else 0 with *s cleared. */
int reel_slate_from_name(const char *path, reel_slate *s);

#endif
