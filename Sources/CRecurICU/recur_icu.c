/* recur_icu.c: the only file that sees ICU's headers. */
#include "recur_icu.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

/* A growable buffer of UTF-16 or bytes. */
typedef struct {
    void *data;
    int32_t capacity; /* in elements */
} growable;

static int grow(growable *g, int32_t elements, size_t element_size) {
    if (g->capacity >= elements) return 1;
    int32_t capacity = g->capacity ? g->capacity : 256;
    while (capacity < elements) {
        if (capacity > INT32_MAX / 2) { capacity = elements; break; }
        capacity *= 2;
    }
    void *data = realloc(g->data, (size_t)capacity * element_size);
    if (!data) return 0;
    g->data = data;
    g->capacity = capacity;
    return 1;
}

struct recur_icu_text {
    const UNormalizer2 *nfkc;
    const UNormalizer2 *nfkc_cf;
    UBreakIterator *words;
    UBreakIterator *sentences;
    UText *word_text;
    UText *sentence_text;
    int32_t word_start;
    int32_t sentence_start;
    growable in16, clean16, norm16, out8;
};

recur_icu_text *recur_icu_text_open(int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    recur_icu_text *t = calloc(1, sizeof *t);
    if (!t) { *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    t->nfkc = unorm2_getNFKCInstance(&err);
    t->nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
    t->words = ubrk_open(UBRK_WORD, "", NULL, 0, &err);
    t->sentences = ubrk_open(UBRK_SENTENCE, "", NULL, 0, &err);
    if (U_FAILURE(err)) {
        *status = err;
        recur_icu_text_close(t);
        return NULL;
    }
    *status = 0;
    return t;
}

void recur_icu_text_close(recur_icu_text *t) {
    if (!t) return;
    if (t->words) ubrk_close(t->words);
    if (t->sentences) ubrk_close(t->sentences);
    if (t->word_text) utext_close(t->word_text);
    if (t->sentence_text) utext_close(t->sentence_text);
    free(t->in16.data);
    free(t->clean16.data);
    free(t->norm16.data);
    free(t->out8.data);
    free(t);
}

/* UTF-8 to UTF-16 into t->in16; invalid bytes become U+FFFD. */
static int32_t utf8_to_16(recur_icu_text *t, const char *utf8, int32_t length) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t len16 = 0;
    if (!grow(&t->in16, length + 1, sizeof(UChar))) return -1;
    u_strFromUTF8WithSub(t->in16.data, t->in16.capacity, &len16, utf8, length, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) return -1;
    return len16;
}

static int is_space_like(UChar32 c) {
    return c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || u_isUWhiteSpace(c) ||
           u_charType(c) == U_SPACE_SEPARATOR;
}

/* Drops controls and invisible format characters, turns every space into ' ', collapses runs, trims. */
static int32_t cleanup(recur_icu_text *t, const UChar *src, int32_t length) {
    if (!grow(&t->clean16, length + 1, sizeof(UChar))) return -1;
    UChar *dst = t->clean16.data;
    int32_t i = 0, n = 0;
    int pending_space = 0;
    while (i < length) {
        UChar32 c;
        U16_NEXT(src, i, length, c);
        if (is_space_like(c)) { pending_space = n > 0; continue; }
        int8_t type = u_charType(c);
        if (type == U_CONTROL_CHAR) { pending_space = n > 0; continue; }
        /* zero-width space/joiners, soft hyphen, BOM, word joiner, bidi marks: invisible, dropped */
        if (type == U_FORMAT_CHAR) continue;
        if (pending_space) { dst[n++] = ' '; pending_space = 0; }
        if (U_IS_BMP(c)) dst[n++] = (UChar)c;
        else { dst[n++] = U16_LEAD(c); dst[n++] = U16_TRAIL(c); }
    }
    return n;
}

static int32_t normalize16(recur_icu_text *t, const UNormalizer2 *norm, const UChar *src, int32_t length) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t needed = length * 3 + 16;
    for (int attempt = 0; attempt < 3; attempt++) {
        if (!grow(&t->norm16, needed, sizeof(UChar))) return -1;
        err = U_ZERO_ERROR;
        int32_t n = unorm2_normalize(norm, src, length, t->norm16.data, t->norm16.capacity, &err);
        if (err == U_BUFFER_OVERFLOW_ERROR) { needed = n + 1; continue; }
        if (U_FAILURE(err)) return -1;
        return n;
    }
    return -1;
}

/* ё→е, collapse the spaces NFKC may have produced, trim; in place on norm16. */
static int32_t finish_key(recur_icu_text *t, int32_t length) {
    UChar *s = t->norm16.data;
    int32_t n = 0;
    int pending_space = 0;
    for (int32_t i = 0; i < length; i++) {
        UChar c = s[i];
        if (c == ' ' || c == 0x3000 || c == 0x00A0) { pending_space = n > 0; continue; }
        if (c == 0x0451) c = 0x0435; /* ё → е */
        if (pending_space) { s[n++] = ' '; pending_space = 0; }
        s[n++] = c;
    }
    return n;
}

static int32_t to_utf8_out(recur_icu_text *t, const UChar *src, int32_t length, const char **result) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t needed = length * 3 + 1;
    if (!grow(&t->out8, needed, 1)) return -1;
    int32_t n = 0;
    u_strToUTF8WithSub(t->out8.data, t->out8.capacity, &n, src, length, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) return -1;
    *result = t->out8.data;
    return n;
}

int32_t recur_icu_normalize(recur_icu_text *t, int32_t mode, const char *utf8, int32_t length,
                            const char **result) {
    int32_t n16 = utf8_to_16(t, utf8, length);
    if (n16 < 0) return -1;
    switch (mode) {
    case RECUR_NORM_NFKC: {
        int32_t n = normalize16(t, t->nfkc, t->in16.data, n16);
        return n < 0 ? -1 : to_utf8_out(t, t->norm16.data, n, result);
    }
    case RECUR_NORM_NFKC_CASEFOLD: {
        int32_t n = normalize16(t, t->nfkc_cf, t->in16.data, n16);
        return n < 0 ? -1 : to_utf8_out(t, t->norm16.data, n, result);
    }
    case RECUR_NORM_KEY: {
        int32_t nc = cleanup(t, t->in16.data, n16);
        if (nc < 0) return -1;
        int32_t n = normalize16(t, t->nfkc_cf, t->clean16.data, nc);
        if (n < 0) return -1;
        n = finish_key(t, n);
        return to_utf8_out(t, t->norm16.data, n, result);
    }
    default:
        return -1;
    }
}

int32_t recur_icu_words_set(recur_icu_text *t, const char *utf8, int32_t length) {
    UErrorCode err = U_ZERO_ERROR;
    t->word_text = utext_openUTF8(t->word_text, utf8, length, &err);
    if (U_FAILURE(err)) return err;
    ubrk_setUText(t->words, t->word_text, &err);
    t->word_start = ubrk_first(t->words);
    return U_FAILURE(err) ? err : 0;
}

int32_t recur_icu_words_next(recur_icu_text *t, int32_t *start, int32_t *end, int32_t *kind) {
    int32_t next = ubrk_next(t->words);
    if (next == UBRK_DONE) return 0;
    int32_t status = ubrk_getRuleStatus(t->words);
    *start = t->word_start;
    *end = next;
    t->word_start = next;
    if (status >= UBRK_WORD_IDEO && status < UBRK_WORD_IDEO_LIMIT) *kind = RECUR_WORD_IDEO;
    else if (status >= UBRK_WORD_KANA && status < UBRK_WORD_KANA_LIMIT) *kind = RECUR_WORD_KANA;
    else if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT) *kind = RECUR_WORD_LETTER;
    else if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT) *kind = RECUR_WORD_NUMBER;
    else *kind = RECUR_WORD_NONE;
    return 1;
}

int32_t recur_icu_sentences_set(recur_icu_text *t, const char *utf8, int32_t length) {
    UErrorCode err = U_ZERO_ERROR;
    t->sentence_text = utext_openUTF8(t->sentence_text, utf8, length, &err);
    if (U_FAILURE(err)) return err;
    ubrk_setUText(t->sentences, t->sentence_text, &err);
    t->sentence_start = ubrk_first(t->sentences);
    return U_FAILURE(err) ? err : 0;
}

int32_t recur_icu_sentences_next(recur_icu_text *t, int32_t *start, int32_t *end) {
    int32_t next = ubrk_next(t->sentences);
    if (next == UBRK_DONE) return 0;
    *start = t->sentence_start;
    *end = next;
    t->sentence_start = next;
    return 1;
}

int32_t recur_icu_detect(const char *bytes, int32_t length, char *names, int32_t name_capacity,
                         int32_t *confidences, int32_t max_count) {
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err)) return -1;
    ucsdet_setText(det, bytes, length, &err);
    int32_t found = 0;
    const UCharsetMatch **matches = ucsdet_detectAll(det, &found, &err);
    if (U_FAILURE(err) || !matches) { ucsdet_close(det); return U_FAILURE(err) ? -1 : 0; }
    int32_t written = 0;
    for (int32_t i = 0; i < found && written < max_count; i++) {
        UErrorCode e = U_ZERO_ERROR;
        const char *name = ucsdet_getName(matches[i], &e);
        int32_t confidence = ucsdet_getConfidence(matches[i], &e);
        if (U_FAILURE(e) || !name) continue;
        char *slot = names + (size_t)written * (size_t)name_capacity;
        strncpy(slot, name, (size_t)name_capacity - 1);
        slot[name_capacity - 1] = 0;
        confidences[written++] = confidence;
    }
    ucsdet_close(det);
    return written;
}

int32_t recur_icu_charset_known(const char *charset) {
    UErrorCode err = U_ZERO_ERROR;
    UConverter *c = ucnv_open(charset, &err);
    if (U_FAILURE(err) || !c) return 0;
    ucnv_close(c);
    return 1;
}

/* Substitutes U+FFFD for every illegal, irregular or unassigned sequence and counts them. */
static void counting_substitute(const void *context, UConverterToUnicodeArgs *args, const char *code_units,
                                int32_t length, UConverterCallbackReason reason, UErrorCode *err) {
    (void)code_units;
    (void)length;
    if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
    int64_t *count = (int64_t *)context;
    *count += 1;
    static const UChar replacement = 0xFFFD;
    *err = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, err);
}

struct recur_icu_decoder {
    UConverter *converter;
    int64_t invalid;
    growable utf16;
    growable utf8;
};

recur_icu_decoder *recur_icu_decoder_open(const char *charset, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    recur_icu_decoder *decoder = calloc(1, sizeof *decoder);
    if (!decoder) { *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    decoder->converter = ucnv_open(charset, &err);
    if (U_SUCCESS(err)) ucnv_setToUCallBack(decoder->converter, counting_substitute, &decoder->invalid, NULL, NULL, &err);
    if (U_FAILURE(err)) {
        recur_icu_decoder_close(decoder);
        *status = err;
        return NULL;
    }
    *status = 0;
    return decoder;
}

void recur_icu_decoder_close(recur_icu_decoder *decoder) {
    if (!decoder) return;
    if (decoder->converter) ucnv_close(decoder->converter);
    free(decoder->utf16.data);
    free(decoder->utf8.data);
    free(decoder);
}

int64_t recur_icu_decoder_invalid(const recur_icu_decoder *decoder) { return decoder->invalid; }

int32_t recur_icu_decoder_convert(recur_icu_decoder *decoder, const char *bytes, int32_t length, int32_t flush,
                                  const char **utf8, int32_t *utf8_length) {
    *utf8 = NULL;
    *utf8_length = 0;
    if (length < 0 || length > INT32_MAX / 4) return U_ILLEGAL_ARGUMENT_ERROR;
    if (!bytes) bytes = "";
    /* Mostly one UTF-16 unit a byte or fewer; the loop grows the buffer for charsets that give more. */
    if (!grow(&decoder->utf16, length + 64, sizeof(UChar))) return U_MEMORY_ALLOCATION_ERROR;
    /* A code point's UTF-16 is never split between pieces: the converter keeps the bytes of one cut
     * by a piece's end (a surrogate pair's trail in UTF-16 too) until the next piece completes it. */
    int32_t n16 = 0;
    const char *source = bytes;
    for (;;) {
        UErrorCode err = U_ZERO_ERROR;
        UChar *base = decoder->utf16.data;
        UChar *target = base + n16;
        ucnv_toUnicode(decoder->converter, &target, base + decoder->utf16.capacity, &source, bytes + length, NULL,
                       (UBool)(flush != 0), &err);
        n16 = (int32_t)(target - base);
        if (err == U_BUFFER_OVERFLOW_ERROR) {
            if (decoder->utf16.capacity > INT32_MAX / 2 || !grow(&decoder->utf16, decoder->utf16.capacity * 2, sizeof(UChar)))
                return U_MEMORY_ALLOCATION_ERROR;
            continue;
        }
        if (U_FAILURE(err)) return err;
        break;
    }
    UChar *units = decoder->utf16.data;
    /* At most three UTF-8 bytes a UTF-16 unit. */
    if (n16 > (INT32_MAX - 1) / 3 || !grow(&decoder->utf8, n16 * 3 + 1, 1)) return U_MEMORY_ALLOCATION_ERROR;
    UErrorCode err = U_ZERO_ERROR;
    int32_t n8 = 0;
    u_strToUTF8WithSub(decoder->utf8.data, decoder->utf8.capacity, &n8, units, n16, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) return err;
    *utf8 = decoder->utf8.data;
    *utf8_length = n8;
    return 0;
}

int32_t recur_icu_from_utf8(const char *charset, const char *utf8, int32_t length, char **result,
                            int32_t *result_length) {
    UErrorCode err = U_ZERO_ERROR;
    *result = NULL;
    *result_length = 0;
    int32_t n16 = 0;
    u_strFromUTF8WithSub(NULL, 0, &n16, utf8, length, 0xFFFD, NULL, &err);
    err = U_ZERO_ERROR;
    UChar *u16 = malloc(((size_t)n16 + 1) * sizeof(UChar));
    if (!u16) return U_MEMORY_ALLOCATION_ERROR;
    u_strFromUTF8WithSub(u16, n16 + 1, &n16, utf8, length, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) { free(u16); return err; }
    UConverter *conv = ucnv_open(charset, &err);
    if (U_FAILURE(err)) { free(u16); return err; }
    int32_t capacity = UCNV_GET_MAX_BYTES_FOR_STRING(n16, ucnv_getMaxCharSize(conv)) + 16;
    char *out = malloc((size_t)capacity);
    if (!out) { ucnv_close(conv); free(u16); return U_MEMORY_ALLOCATION_ERROR; }
    int32_t n = ucnv_fromUChars(conv, out, capacity, u16, n16, &err);
    ucnv_close(conv);
    free(u16);
    if (U_FAILURE(err) && err != U_STRING_NOT_TERMINATED_WARNING) { free(out); return err; }
    *result = out;
    *result_length = n;
    return 0;
}

void recur_icu_free(void *pointer) { free(pointer); }

int32_t recur_icu_script_code(uint32_t code_point, char *buffer, int32_t capacity) {
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)code_point, &err);
    const char *name = U_FAILURE(err) ? "Zyyy" : uscript_getShortName(script);
    if (!name) name = "Zzzz";
    int32_t n = (int32_t)strlen(name);
    if (n >= capacity) n = capacity - 1;
    memcpy(buffer, name, (size_t)n);
    buffer[n] = 0;
    return n;
}

const char *recur_icu_version(void) {
    static char version[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo info;
    u_getVersion(info);
    u_versionToString(info, version);
    return version;
}
