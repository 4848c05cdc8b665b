/* Slate-style file names to scene, shot and take, and camera-made names that must read as nothing. */
#include "script/slate.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

static void slate(const char *name, const char *scene, const char *shot, int take)
{
    reel_slate s;
    int ok = reel_slate_from_name(name, &s);
    TAP_OK(ok && !strcmp(s.scene, scene) && !strcmp(s.shot, shot) && s.take == take,
           "%s: scene %s shot %s take %d (read: %s, %s, %s, %d)", name, scene, shot[0] ? shot : "-", take,
           ok ? "a slate" : "not a slate", s.scene, s.shot, s.take);
}

static void none(const char *name)
{
    reel_slate s;
    int ok = reel_slate_from_name(name, &s);
    TAP_OK(!ok && !s.scene[0] && !s.shot[0] && !s.take, "%s: not a slate (read: %s %s %d)", name, s.scene, s.shot, s.take);
}

int main(void)
{
    slate("S12_SH3_T4.mov", "12", "3", 4);
    slate("/rushes/day2/SC12_SH03_TK4.MXF", "12", "3", 4);
    slate("Scene12_Shot3_Take4.mp4", "12", "3", 4);
    slate("scene12shot3take4.wav", "12", "3", 4);
    slate("S12A_T2.mov", "12", "A", 2);
    slate("sc7 tk11.wav", "7", "", 11);
    slate("wedding_S3_T2_camB.mov", "3", "", 2);
    slate("S012_SH2B_T1_v2.mov", "12", "2B", 1);
    slate("12A-4.mov", "12", "A", 4);
    slate("12A_T4.mov", "12", "A", 4);
    slate("12a_tk4_camA.mov", "12", "A", 4);
    slate("12-3-4.wav", "12", "3", 4);
    slate("12_4.mov", "12", "", 4);
    slate("12-3-4-B.mov", "12", "3", 4);
    none("A001C003_220101_R1AB.mov");
    none("MVI_0042.MOV");
    none("DSC_0001.MP4");
    none("GOPR0042.MP4");
    none("C0001.MP4");
    none("20220101_1234.mov");
    none("s01e02.mkv");
    none("Sunset_T2.mov");
    none("S12_SH3.mov");
    none("12_4_2023.mov");
    none("S12_T0.mov");
    none("");
    return tap_done();
}
