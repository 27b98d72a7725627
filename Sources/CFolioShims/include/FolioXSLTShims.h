#ifndef FOLIO_XSLT_SHIMS_H
#define FOLIO_XSLT_SHIMS_H

/*
 * The C side of Folio's XSLT stage (Sources/FolioReports/XSLT): everything that touches libxml2/libxslt
 * callbacks, process globals, threads and the sandbox. Documents and stylesheets cross this boundary as
 * opaque pointers (`void *`), so that this header does not pull libxml2's headers into a second module.
 *
 * Error capture. libxml2/libxslt report on three channels; all of them end in a per-thread collector
 * (`folio_xslt_collector`), installed for the duration of each call below:
 *   - the structured handler (xmlSetStructuredErrorFunc, per thread): parser and XPath errors, with
 *     domain, code, file, line and column;
 *   - libxslt's generic handler (xsltSetGenericErrorFunc, a process global, set once to a trampoline
 *     that formats with vsnprintf and forwards to the calling thread's collector) and libxml2's
 *     generic handler (per thread, replaced during the call): compile errors and their
 *     "file … line … element …" context lines;
 *   - the transform context's handler (xsltSetTransformErrorFunc, one per transform): runtime errors
 *     and xsl:message.
 * Nothing reaches stderr: outside a Folio call the trampolines discard (libxslt's debug channel too).
 *
 * Sandbox. folio_xslt_global_init() replaces two libxslt process globals: the document loader
 * (xsltSetLoaderFunc; every xsl:import, xsl:include and document() goes through it: only regular files
 * whose realpath lies inside the calling thread's sandbox folder, read directly, never through URLs or
 * libxml2's entity loader) and the default security preferences (xsltSetDefaultSecurityPrefs, also set
 * on each transform context): no file writes, no directory creation, no network; document() reads
 * only inside the sandbox. Any other libxslt use in the process therefore gets a loader that refuses
 * everything outside a Folio call.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Where a diagnostic came from.
enum {
    FOLIO_XSLT_CHANNEL_GENERIC = 0,    ///< libxslt / libxml2 generic handler (compile errors)
    FOLIO_XSLT_CHANNEL_TRANSFORM = 1,  ///< the transform context's handler (runtime errors)
    FOLIO_XSLT_CHANNEL_STRUCTURED = 2, ///< libxml2's structured handler (parser, XPath)
    FOLIO_XSLT_CHANNEL_MESSAGE = 3,    ///< xsl:message output
    FOLIO_XSLT_CHANNEL_SECURITY = 4,   ///< a refusal by Folio's sandbox or security preferences
};

/// Flags on a diagnostic.
enum {
    FOLIO_XSLT_FLAG_TERMINATE = 1,     ///< an xsl:message with terminate="yes"
};

/// One diagnostic. Strings are owned by the collector (valid until it is freed); any may be NULL.
typedef struct folio_xslt_diag {
    int channel;
    int level;          ///< 1 warning, 2 error, 3 fatal (libxml2's xmlErrorLevel); 0 for xsl:message
    int domain;         ///< libxml2 error domain (structured channel), else 0
    int code;           ///< libxml2 error code (structured channel), else 0
    int line;           ///< 1-based, 0 when unknown
    int column;         ///< 1-based, 0 when unknown
    int flags;
    const char *file;
    const char *element;
    const char *message;
} folio_xslt_diag;

/// A file read while compiling a stylesheet (the stylesheet itself and everything it imports or
/// includes), with its size and modification time as read.
typedef struct folio_xslt_loaded_file {
    const char *path;   ///< resolved (realpath)
    long long size;
    long long mtime_sec;
    long long mtime_nsec;
} folio_xslt_loaded_file;

typedef struct folio_xslt_collector folio_xslt_collector;

folio_xslt_collector *folio_xslt_collector_new(void);
void folio_xslt_collector_free(folio_xslt_collector *c);
int folio_xslt_collector_count(const folio_xslt_collector *c);
/// The i-th diagnostic (0 ≤ i < count), in the order they were reported.
const folio_xslt_diag *folio_xslt_collector_diag(const folio_xslt_collector *c, int i);
/// How many diagnostics were dropped beyond the collector's cap.
int folio_xslt_collector_dropped(const folio_xslt_collector *c);
int folio_xslt_collector_loaded_count(const folio_xslt_collector *c);
const folio_xslt_loaded_file *folio_xslt_collector_loaded(const folio_xslt_collector *c, int i);

/// Once per process (thread-safe): folio_xml_global_init(), exsltRegisterAll(), libxslt's generic error
/// trampoline, Folio's sandboxed document loader (xsltSetLoaderFunc) and default security preferences.
void folio_xslt_global_init(void);

/// Parses untrusted data XML from memory: XML_PARSE_NONET, no DTD loading, no entity substitution,
/// libxml2's default limits (no XML_PARSE_HUGE). Documents declaring external entities are refused.
/// `url` names the document in errors and is its base URI. Returns an xmlDocPtr or NULL (errors in `c`).
void *folio_xslt_parse_data(const char *bytes, size_t length, const char *url, folio_xslt_collector *c);

/// Reads and parses a stylesheet file that must lie inside `sandbox`; records it as loaded in `c`.
/// Returns an xmlDocPtr or NULL (errors in `c`).
void *folio_xslt_read_stylesheet(const char *path, const char *sandbox, folio_xslt_collector *c);

/// Compiles a stylesheet document (takes ownership of `doc` in every case). xsl:import/xsl:include are
/// read through the sandboxed loader, confined to `sandbox`, and recorded in `c`. Returns an
/// xsltStylesheetPtr or NULL (errors in `c`).
void *folio_xslt_compile(void *doc, const char *sandbox, folio_xslt_collector *c);

void folio_xslt_free_stylesheet(void *stylesheet);
void folio_xslt_free_doc(void *doc);

/// Serializes a document in its declared encoding, UTF-8 if none (xmlDocDumpFormatMemoryEnc). `*out` must be
/// released with folio_xslt_free_buffer.
int folio_xslt_serialize_doc(void *doc, unsigned char **out, size_t *length);
void folio_xslt_free_buffer(void *buffer);

/// Outcome of folio_xslt_run.
enum {
    FOLIO_XSLT_OK = 0,
    FOLIO_XSLT_FAILED = 1,         ///< errors reported (see the collector)
    FOLIO_XSLT_TERMINATED = 2,     ///< xsl:message terminate="yes"
    FOLIO_XSLT_TIMEOUT = 3,        ///< stopped by the watchdog
    FOLIO_XSLT_OUTPUT_LIMIT = 4,   ///< serialized output larger than max_output
    FOLIO_XSLT_INTERNAL = 5,       ///< could not start (thread, memory)
};

/// One transformation.
typedef struct folio_xslt_job {
    /* inputs */
    void *stylesheet;            ///< xsltStylesheetPtr (read only, may be shared)
    void *document;              ///< xmlDocPtr (must not be transformed by two jobs at once)
    const char **params;         ///< name, value, name, value, …, NULL; values are literal strings
    const char *sandbox;         ///< folder document() may read from (NULL: nothing)
    double timeout;              ///< seconds; ≤ 0 or not finite: no watchdog
    int max_depth;               ///< ctxt->maxTemplateDepth: nested sequence constructors (xsltproc --maxdepth)
    size_t max_output;           ///< bytes of serialized output
    folio_xslt_collector *collector;
    /* outputs */
    int status;
    unsigned char *output;       ///< release with folio_xslt_free_buffer
    size_t output_length;
    /// The stylesheet line of each element of the result, in document order (0 where libxslt did
    /// not copy the element from a literal result element, e.g. xsl:element); release with
    /// folio_xslt_free_buffer. NULL when the result has no elements or on failure.
    unsigned int *origin_lines;
    size_t origin_count;
} folio_xslt_job;

/// Runs a transformation on a worker thread with a stack sized for `max_depth`, while the calling
/// thread watches the clock: after `timeout` it sets ctxt->state to XSLT_STATE_STOPPED (what
/// xsltStopEngine does; Debian 12's libxslt does not export it) and trips the transform's and its
/// XPath context's operation limits, so that both the template engine and a running XPath
/// evaluation stop at their next step. Blocks until the worker has finished and freed everything.
void folio_xslt_run(folio_xslt_job *job);

#ifdef __cplusplus
}
#endif

#endif
