/*
 * recur_icu.h: the ICU functions recur needs, behind recur's own names.
 *
 * This header must include nothing but <stdint.h> and <stddef.h>: Foundation on
 * Linux carries its own ICU module, and importing ICU's headers into Swift
 * clashes with it. Every ICU type stays inside recur_icu.c.
 */
#ifndef RECUR_ICU_H
#define RECUR_ICU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Per-worker text state: conversion buffers, a word and a sentence break iterator. Not thread-safe. */
typedef struct recur_icu_text recur_icu_text;

/** Opens the per-worker state. Returns NULL on failure and sets *status to ICU's error code. */
recur_icu_text *recur_icu_text_open(int32_t *status);
void recur_icu_text_close(recur_icu_text *text);

/** Normalization modes for recur_icu_normalize. */
enum {
    RECUR_NORM_NFKC = 0,          /* plain NFKC, nothing else */
    RECUR_NORM_NFKC_CASEFOLD = 1, /* plain NFKC_Casefold, nothing else */
    RECUR_NORM_KEY = 2            /* recur's matching key: cleanup, NFKC_Casefold, ё→е, spaces collapsed */
};

/**
 * Normalizes UTF-8 text.
 *
 * The result is UTF-8 in a buffer owned by `text`, valid until the next call on it.
 * Returns the result's length in bytes, or -1 on failure. Invalid UTF-8 input
 * becomes U+FFFD.
 */
int32_t recur_icu_normalize(recur_icu_text *text, int32_t mode, const char *utf8, int32_t length,
                            const char **result);

/**
 * Word segmentation over UTF-8, reusing the worker's iterator.
 *
 * Call recur_icu_words_set, then recur_icu_words_next until it returns 0. Each segment
 * is [start, end) in UTF-8 bytes; *kind is RECUR_WORD_* below. Segments that are
 * spaces or punctuation are reported too, with RECUR_WORD_NONE.
 * The input must stay alive while iterating.
 */
enum {
    RECUR_WORD_NONE = 0,
    RECUR_WORD_NUMBER = 1,
    RECUR_WORD_LETTER = 2,
    RECUR_WORD_KANA = 3,
    RECUR_WORD_IDEO = 4
};
int32_t recur_icu_words_set(recur_icu_text *text, const char *utf8, int32_t length);
int32_t recur_icu_words_next(recur_icu_text *text, int32_t *start, int32_t *end, int32_t *kind);

/** Sentence segmentation over UTF-8, the same way as words. */
int32_t recur_icu_sentences_set(recur_icu_text *text, const char *utf8, int32_t length);
int32_t recur_icu_sentences_next(recur_icu_text *text, int32_t *start, int32_t *end);

/**
 * Charset detection candidates from ICU's detector, best first.
 *
 * Writes at most max_count names, each NUL-terminated in a slot of name_capacity bytes
 * of `names`, and their confidences (0-100). Returns the number written, or -1.
 */
int32_t recur_icu_detect(const char *bytes, int32_t length, char *names, int32_t name_capacity,
                         int32_t *confidences, int32_t max_count);

/** Returns 1 if ICU has a converter of this name, 0 if not. */
int32_t recur_icu_charset_known(const char *charset);

/** A converter from a charset to UTF-8 for text that comes in pieces. Not thread-safe. */
typedef struct recur_icu_decoder recur_icu_decoder;

/** Opens a decoder from `charset`. Returns NULL on failure and sets *status to ICU's error code. */
recur_icu_decoder *recur_icu_decoder_open(const char *charset, int32_t *status);
void recur_icu_decoder_close(recur_icu_decoder *decoder);

/**
 * Converts the next `length` bytes to UTF-8; `flush` is non-zero for the last piece.
 *
 * Invalid or unmappable sequences become U+FFFD and are counted (recur_icu_decoder_invalid). A
 * sequence cut by the end of a piece is completed by the next one: the pieces give the same text
 * as the whole would. On success returns 0 with *utf8 pointing into the decoder's buffer (valid
 * until the next call) and *utf8_length set; else ICU's error code (> 0).
 */
int32_t recur_icu_decoder_convert(recur_icu_decoder *decoder, const char *bytes, int32_t length, int32_t flush,
                                  const char **utf8, int32_t *utf8_length);

/** The invalid or unmappable sequences replaced so far. */
int64_t recur_icu_decoder_invalid(const recur_icu_decoder *decoder);

/**
 * Converts UTF-8 to bytes in `charset` (for writing legacy-encoded test archives).
 *
 * Characters the charset lacks become its substitution character. Returns 0 on success
 * with *result malloc'ed (free with recur_icu_free), or ICU's error code.
 */
int32_t recur_icu_from_utf8(const char *charset, const char *utf8, int32_t length,
                            char **result, int32_t *result_length);

void recur_icu_free(void *pointer);

/** Writes the short ISO 15924 name of the code point's script (e.g. "Latn") and returns its length. */
int32_t recur_icu_script_code(uint32_t code_point, char *buffer, int32_t capacity);

/** The ICU version string, e.g. "72.1". */
const char *recur_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif
