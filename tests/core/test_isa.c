/*
 * SKYCHANGE_ISA: the names it takes, and a bad value refused with a message
 * that names it (the variable is read once per process, so this program sets
 * it before the first read).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/isa.h"

static void names_parse_and_print(void **state)
{
    (void)state;
    const char *names[] = {"sse2", "avx2", "avx512"};
    for (int i = 0; i < 3; i++) {
        sc_isa isa;
        assert_int_equal(sc_isa_parse(names[i], &isa), 0);
        assert_int_equal(isa, (sc_isa)i);
        assert_string_equal(sc_isa_name(isa), names[i]);
    }
    sc_isa isa = SC_ISA_AVX2;
    const char *bad[] = {"AVX2", "avx", "avx512f", "sse", "", " avx2", NULL};
    for (int i = 0; i < 7; i++)
        assert_int_equal(sc_isa_parse(bad[i], &isa), -1);
    assert_int_equal(isa, SC_ISA_AVX2);
}

static void a_bad_value_is_refused_and_caps_nothing(void **state)
{
    (void)state;
    sc_error err = {0};
    assert_int_equal(sc_isa_check(&err), SC_ERR_INVALID_ARG);
    assert_string_equal(err.msg, "SKYCHANGE_ISA=avx3: expected avx512, avx2 or sse2");
    /* At least the baseline, whatever the CPU. */
    assert_true(sc_isa_allowed() >= SC_ISA_SSE2);
}

int main(void)
{
    if (setenv("SKYCHANGE_ISA", "avx3", 1) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_parse_and_print),
        cmocka_unit_test(a_bad_value_is_refused_and_caps_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
