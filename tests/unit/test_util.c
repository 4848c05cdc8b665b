/* Unit tests: errors, hashing, atomic writes, string buffers, path helpers. */
#include "tap.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_err(void)
{
    reel_err e = {0};
    TAP_EQ_INT(reel_errf(&e, REEL_EIO, "%s: %d", "x.mov", 3), REEL_EIO, "reel_errf returns its code");
    TAP_EQ_STR(e.msg, "x.mov: 3", "reel_errf formats");
    reel_err_prefix(&e, "clip %s", "a");
    TAP_EQ_STR(e.msg, "clip a: x.mov: 3", "reel_err_prefix prefixes");
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    reel_err_prefix(&e, "%s", big);
    TAP_OK(strlen(e.msg) < sizeof e.msg, "an over-long prefix is truncated, not overflowed");
    TAP_OK(strcmp(reel_strerror(REEL_EMEDIA), "unknown error"), "codes have names");
    TAP_EQ_INT(reel_errf(NULL, REEL_EINVAL, "x"), REEL_EINVAL, "NULL error slot is allowed");
}

static void test_hash(void)
{
    char a[REEL_HASH_HEX], b[REEL_HASH_HEX];
    reel_hash_buf("abc", 3, a);
    /* BLAKE2b-256("abc") from RFC 7693's reference implementation */
    TAP_EQ_STR(a, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", "blake2b-256 of abc");
    reel_hasher h;
    reel_hash_init(&h);
    reel_hash_str(&h, "ab");
    reel_hash_str(&h, "c");
    reel_hash_final(&h, a);
    reel_hash_init(&h);
    reel_hash_str(&h, "a");
    reel_hash_str(&h, "bc");
    reel_hash_final(&h, b);
    TAP_OK(strcmp(a, b), "length-prefixed strings do not collide on concatenation");
}

static void test_files(void)
{
    char dir[] = "/tmp/reel-util-XXXXXX";
    TAP_OK(mkdtemp(dir) != NULL, "temp dir");
    char *sub = reel_path_join(dir, "a/b/c");
    reel_err e = {0};
    TAP_EQ_INT(reel_mkdirs(sub, &e), 0, "mkdirs creates nested folders");
    TAP_OK(reel_is_dir(sub), "nested folder exists");
    char *f = reel_path_join(sub, "x.txt");
    TAP_EQ_INT(reel_write_atomic(f, "hello", 5, &e), 0, "atomic write");
    char *text = NULL;
    size_t len = 0;
    TAP_EQ_INT(reel_read_file(f, &text, &len, &e), 0, "read back");
    TAP_OK(len == 5 && !strcmp(text, "hello"), "content round trips");
    free(text);
    char hex[REEL_HASH_HEX], hex2[REEL_HASH_HEX];
    reel_hash_file(f, hex, &e);
    reel_hash_buf("hello", 5, hex2);
    TAP_EQ_STR(hex, hex2, "file hash equals buffer hash");
    char *g = reel_path_join(dir, "copy.txt"), *tmp = reel_path_join(dir, "copy.tmp");
    TAP_EQ_INT(reel_copy_atomic(f, tmp, g, &e), 0, "atomic copy");
    TAP_OK(!reel_file_exists(tmp) && reel_file_exists(g), "copy leaves no temp behind");
    TAP_EQ_INT(reel_read_file("/nonexistent/x", &text, &len, &e), REEL_ENOTFOUND, "missing file is ENOTFOUND");
    TAP_OK(strstr(e.msg, "/nonexistent/x") != NULL, "the message names the file");
    TAP_EQ_INT(reel_write_atomic("/nonexistent/dir/x", "a", 1, &e), REEL_EIO, "write into a missing dir fails");
    TAP_EQ_INT(reel_rmtree(dir, &e), 0, "rmtree");
    TAP_OK(!reel_file_exists(dir), "tree is gone");
    TAP_EQ_STR(reel_basename("/a/b/c.mov"), "c.mov", "basename");
    free(sub), free(f), free(g), free(tmp);
}

static void test_strbuf(void)
{
    reel_strbuf b;
    reel_sb_init(&b);
    for (int i = 0; i < 1000; i++) reel_sb_printf(&b, "%d,", i);
    TAP_OK(b.len > 3000 && !strncmp(b.s, "0,1,2,", 6), "strbuf grows");
    reel_sb_free(&b);
    TAP_OK(b.s == NULL && b.len == 0, "strbuf free resets");
}

int main(void)
{
    reel_init();
    test_err();
    test_hash();
    test_files();
    test_strbuf();
    return tap_done();
}
