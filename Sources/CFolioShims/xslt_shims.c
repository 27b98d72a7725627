/*
 * Folio's XSLT stage, C side: error trampolines, the sandboxed document loader, security preferences,
 * and the transform runner with its watchdog. See include/FolioXSLTShims.h.
 */
#define _GNU_SOURCE
#include <libxml/xmlversion.h>
/* Keep ICU's headers out, as Sources/CXML/shim.h does. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>
#include <libxml/entities.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include <libxml/xmlIO.h>
#include <libxml/globals.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libxslt/security.h>
#include <libxslt/documents.h>
#include <libxslt/variables.h>
#include <libxslt/imports.h>
#include <libexslt/exslt.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "FolioShims.h"
#include "FolioXSLTShims.h"

/* Untrusted data: no network, no DTD loading, no entity substitution; CDATA as text (as xsltproc). */
#define FOLIO_DATA_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)
/* Stylesheets: internal entities substituted as xsltproc does (external ones are refused by the entity
 * loader and by the check below); no network, no DTD loading. */
#define FOLIO_STYLE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOENT | XML_PARSE_NOCDATA)

#define FOLIO_MAX_DIAGS 64
#define FOLIO_MAX_MESSAGE 4096
#define FOLIO_MAX_PENDING 65536
#define FOLIO_MAX_FILE_SIZE ((off_t)512 << 20)

/* ------------------------------------------------------------------------------------------------ */
/* Collector                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

struct folio_xslt_collector {
    folio_xslt_diag *items;
    int count, cap, dropped;
    folio_xslt_loaded_file *loaded;
    int loaded_count, loaded_cap;
    /* text received from a variadic channel, not yet ended by a newline */
    char *pending;
    size_t pending_len;
    int pending_channel;
    /* a libxslt context line ("runtime error: file F line L element E") waiting for its message */
    int has_context;
    char *context_file;
    int context_line;
    char *context_element;
};

static char *folio_strdup(const char *s) {
    if (s == NULL) return NULL;
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (r != NULL) memcpy(r, s, n + 1);
    return r;
}

folio_xslt_collector *folio_xslt_collector_new(void) {
    return calloc(1, sizeof(folio_xslt_collector));
}

static void clear_context(folio_xslt_collector *c) {
    free(c->context_file);
    free(c->context_element);
    c->context_file = NULL;
    c->context_element = NULL;
    c->context_line = 0;
    c->has_context = 0;
}

void folio_xslt_collector_free(folio_xslt_collector *c) {
    if (c == NULL) return;
    for (int i = 0; i < c->count; i++) {
        free((void *)c->items[i].file);
        free((void *)c->items[i].element);
        free((void *)c->items[i].message);
    }
    free(c->items);
    for (int i = 0; i < c->loaded_count; i++) free((void *)c->loaded[i].path);
    free(c->loaded);
    free(c->pending);
    clear_context(c);
    free(c);
}

int folio_xslt_collector_count(const folio_xslt_collector *c) { return c ? c->count : 0; }
int folio_xslt_collector_dropped(const folio_xslt_collector *c) { return c ? c->dropped : 0; }
const folio_xslt_diag *folio_xslt_collector_diag(const folio_xslt_collector *c, int i) {
    if (c == NULL || i < 0 || i >= c->count) return NULL;
    return &c->items[i];
}
int folio_xslt_collector_loaded_count(const folio_xslt_collector *c) { return c ? c->loaded_count : 0; }
const folio_xslt_loaded_file *folio_xslt_collector_loaded(const folio_xslt_collector *c, int i) {
    if (c == NULL || i < 0 || i >= c->loaded_count) return NULL;
    return &c->loaded[i];
}

/* Copies at most FOLIO_MAX_MESSAGE bytes (on a UTF-8 boundary) without trailing white space. */
static char *trimmed_message(const char *s) {
    if (s == NULL) return NULL;
    size_t n = strlen(s);
    if (n > FOLIO_MAX_MESSAGE) {
        n = FOLIO_MAX_MESSAGE;
        while (n > 0 && (((unsigned char)s[n]) & 0xC0) == 0x80) n--;
    }
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    char *r = malloc(n + 1);
    if (r == NULL) return NULL;
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

static void collector_add(folio_xslt_collector *c, int channel, int level, int domain, int code,
                          const char *file, int line, int column, const char *element,
                          const char *message, int flags) {
    if (c == NULL) return;
    if (c->count >= FOLIO_MAX_DIAGS) { c->dropped++; return; }
    if (c->count == c->cap) {
        int cap = c->cap ? c->cap * 2 : 8;
        folio_xslt_diag *items = realloc(c->items, (size_t)cap * sizeof(folio_xslt_diag));
        if (items == NULL) { c->dropped++; return; }
        c->items = items;
        c->cap = cap;
    }
    folio_xslt_diag *d = &c->items[c->count++];
    d->channel = channel;
    d->level = level;
    d->domain = domain;
    d->code = code;
    d->line = line > 0 ? line : 0;
    d->column = column > 0 ? column : 0;
    d->flags = flags;
    d->file = folio_strdup(file);
    d->element = folio_strdup(element);
    d->message = trimmed_message(message);
}

static void collector_add_loaded(folio_xslt_collector *c, const char *path, const struct stat *st) {
    if (c == NULL) return;
    for (int i = 0; i < c->loaded_count; i++)
        if (strcmp(c->loaded[i].path, path) == 0) return;
    if (c->loaded_count == c->loaded_cap) {
        int cap = c->loaded_cap ? c->loaded_cap * 2 : 4;
        folio_xslt_loaded_file *l = realloc(c->loaded, (size_t)cap * sizeof(folio_xslt_loaded_file));
        if (l == NULL) return;
        c->loaded = l;
        c->loaded_cap = cap;
    }
    folio_xslt_loaded_file *f = &c->loaded[c->loaded_count++];
    f->path = folio_strdup(path);
    f->size = (long long)st->st_size;
    f->mtime_sec = (long long)st->st_mtim.tv_sec;
    f->mtime_nsec = (long long)st->st_mtim.tv_nsec;
}

/* ------------------------------------------------------------------------------------------------ */
/* Per-thread state                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

static __thread folio_xslt_collector *tl_collector;
static __thread const char *tl_sandbox;              /* realpath of the sandbox, ending in '/' */
static __thread xsltTransformContextPtr tl_tctxt;    /* the running transform, if any */

typedef struct {
    folio_xslt_collector *collector;
    const char *sandbox;
    xsltTransformContextPtr tctxt;
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
} folio_scope;

static void folio_generic_trampoline(void *ctx, const char *msg, ...);
static void folio_structured_trampoline(void *ctx, xmlErrorPtr error);

static void scope_enter(folio_scope *s, folio_xslt_collector *c, const char *sandbox) {
    s->collector = tl_collector;
    s->sandbox = tl_sandbox;
    s->tctxt = tl_tctxt;
    s->generic = *__xmlGenericError();
    s->generic_ctx = *__xmlGenericErrorContext();
    s->structured = *__xmlStructuredError();
    s->structured_ctx = *__xmlStructuredErrorContext();
    tl_collector = c;
    tl_sandbox = sandbox;
    tl_tctxt = NULL;
    xmlSetGenericErrorFunc(NULL, folio_generic_trampoline);
    xmlSetStructuredErrorFunc(NULL, folio_structured_trampoline);
}

static void flush_pending(folio_xslt_collector *c);

static void scope_leave(folio_scope *s) {
    if (tl_collector != NULL) flush_pending(tl_collector);
    xmlSetStructuredErrorFunc(s->structured_ctx, s->structured);
    xmlSetGenericErrorFunc(s->generic_ctx, s->generic);
    tl_collector = s->collector;
    tl_sandbox = s->sandbox;
    tl_tctxt = s->tctxt;
}

/* ------------------------------------------------------------------------------------------------ */
/* Variadic channels: context lines, messages                                                       */
/* ------------------------------------------------------------------------------------------------ */

static int is_xsl_element(xmlNodePtr node, const char *name) {
    return node != NULL && node->type == XML_ELEMENT_NODE && node->ns != NULL &&
           xmlStrEqual(node->ns->href, XSLT_NAMESPACE) && xmlStrEqual(node->name, BAD_CAST name);
}

static const char *node_file(xmlNodePtr node) {
    if (node == NULL || node->doc == NULL) return NULL;
    return (const char *)node->doc->URL;
}

static int node_line(xmlNodePtr node) {
    if (node == NULL || node->type == XML_DOCUMENT_NODE || node->type == XML_HTML_DOCUMENT_NODE) return 0;
    long line = xmlGetLineNo(node);
    return line > 0 && line < INT_MAX ? (int)line : 0;
}

/* Recognizes xsltPrintErrorContext's lines:
 *   "<type>: file F line L element E", "<type>: file F element E", "<type>: file F line L",
 *   "<type>: file F", "<type>: element E", "<type>"
 * with <type> one of "runtime error", "compilation error", "compilation warning", "error". */
static int parse_context_line(folio_xslt_collector *c, const char *s) {
    static const char *types[] = {"runtime error", "compilation error", "compilation warning", "error"};
    if (strchr(s, '\n') != NULL) return 0;
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        size_t n = strlen(types[t]);
        if (strncmp(s, types[t], n) != 0) continue;
        const char *rest = s + n;
        if (*rest == 0) {
            clear_context(c);
            c->has_context = 1;
            return 1;
        }
        if (strncmp(rest, ": element ", 10) == 0) {
            clear_context(c);
            c->has_context = 1;
            c->context_element = folio_strdup(rest + 10);
            return 1;
        }
        if (strncmp(rest, ": file ", 7) != 0) return 0;
        const char *p = rest + 7;
        size_t len = strlen(p);
        char *buf = malloc(len + 1);
        if (buf == NULL) return 0;
        memcpy(buf, p, len + 1);
        char *element = NULL;
        char *e = NULL;
        for (char *q = strstr(buf, " element "); q != NULL; q = strstr(q + 1, " element ")) e = q;
        if (e != NULL) {
            *e = 0;
            element = e + 9;
        }
        int line = 0;
        char *l = NULL;
        for (char *q = strstr(buf, " line "); q != NULL; q = strstr(q + 1, " line ")) l = q;
        if (l != NULL) {
            char *digits = l + 6;
            int ok = *digits != 0;
            for (char *d = digits; *d; d++) if (*d < '0' || *d > '9') { ok = 0; break; }
            if (ok && strlen(digits) < 10) {
                line = atoi(digits);
                *l = 0;
            }
        }
        clear_context(c);
        c->has_context = 1;
        c->context_file = folio_strdup(buf);
        c->context_line = line;
        c->context_element = folio_strdup(element);
        free(buf);
        return 1;
    }
    return 0;
}

static void process_record(folio_xslt_collector *c, int channel, char *text, xsltTransformContextPtr tctxt) {
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) text[--n] = 0;
    if (parse_context_line(c, text)) return;
    int level = 2;
    if (strncmp(text, "Warning", 7) == 0 || strncmp(text, "warning", 7) == 0) level = 1;
    if (c->has_context) {
        collector_add(c, channel, level, 0, 0, c->context_file, c->context_line, 0, c->context_element, text, 0);
        clear_context(c);
        return;
    }
    xmlNodePtr inst = tctxt != NULL ? tctxt->inst : NULL;
    if (channel == FOLIO_XSLT_CHANNEL_TRANSFORM && is_xsl_element(inst, "message")) {
        int flags = 0;
        xmlChar *terminate = xmlGetNsProp(inst, BAD_CAST "terminate", NULL);
        if (terminate != NULL) {
            if (xmlStrEqual(terminate, BAD_CAST "yes")) flags |= FOLIO_XSLT_FLAG_TERMINATE;
            xmlFree(terminate);
        }
        collector_add(c, FOLIO_XSLT_CHANNEL_MESSAGE, 0, 0, 0, node_file(inst), node_line(inst), 0,
                      (const char *)inst->name, text, flags);
        return;
    }
    collector_add(c, channel, level, 0, 0, node_file(inst), node_line(inst), 0,
                  inst != NULL ? (const char *)inst->name : NULL, text, 0);
}

static void flush_pending(folio_xslt_collector *c) {
    if (c->pending_len == 0) return;
    c->pending[c->pending_len] = 0;
    c->pending_len = 0;
    /* The text is copied out first: processing may not re-enter, but keep the buffer reusable. */
    char *text = folio_strdup(c->pending);
    if (text != NULL) {
        process_record(c, c->pending_channel, text, tl_tctxt);
        free(text);
    }
}

/* Accumulates variadic output until a newline ends a record (xsl:message sends its text, then "\n"). */
static void feed_text(folio_xslt_collector *c, int channel, const char *text) {
    if (c == NULL || text == NULL) return;
    size_t n = strlen(text);
    if (n == 0) return;
    if (c->pending_len > 0 && c->pending_channel != channel) flush_pending(c);
    c->pending_channel = channel;
    size_t room = FOLIO_MAX_PENDING - c->pending_len;
    size_t take = n < room ? n : room;
    if (c->pending == NULL) {
        c->pending = malloc(FOLIO_MAX_PENDING + 1);
        if (c->pending == NULL) return;
    }
    memcpy(c->pending + c->pending_len, text, take);
    c->pending_len += take;
    if (text[n - 1] == '\n' || c->pending_len >= FOLIO_MAX_PENDING) flush_pending(c);
}

static void feed_formatted(int channel, const char *msg, va_list ap) {
    folio_xslt_collector *c = tl_collector;
    if (c == NULL || msg == NULL) return;
    char small[1024];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof(small), msg, copy);
    va_end(copy);
    if (n < 0) return;
    if ((size_t)n < sizeof(small)) {
        feed_text(c, channel, small);
        return;
    }
    size_t cap = (size_t)n + 1;
    if (cap > FOLIO_MAX_PENDING + 1) cap = FOLIO_MAX_PENDING + 1;
    char *big = malloc(cap);
    if (big == NULL) return;
    vsnprintf(big, cap, msg, ap);
    feed_text(c, channel, big);
    free(big);
}

/* libxslt's generic handler (process global) and libxml2's (per thread, during Folio's calls). */
static void folio_generic_trampoline(void *ctx, const char *msg, ...) {
    (void)ctx;
    va_list ap;
    va_start(ap, msg);
    feed_formatted(FOLIO_XSLT_CHANNEL_GENERIC, msg, ap);
    va_end(ap);
}

/* The transform context's handler. */
static void folio_transform_trampoline(void *ctx, const char *msg, ...) {
    (void)ctx;
    va_list ap;
    va_start(ap, msg);
    feed_formatted(FOLIO_XSLT_CHANNEL_TRANSFORM, msg, ap);
    va_end(ap);
}

static void folio_structured_trampoline(void *ctx, xmlErrorPtr error) {
    (void)ctx;
    folio_xslt_collector *c = tl_collector;
    if (c == NULL || error == NULL) return;
    flush_pending(c);
    const char *message = error->message != NULL ? error->message : "unknown error";
    char *composed = NULL;
    if (error->domain == XML_FROM_XPATH && error->str1 != NULL) {
        const char *msg = message;
        size_t ml = strlen(msg);
        while (ml > 0 && msg[ml - 1] == '\n') ml--;
        size_t cap = ml + strlen(error->str1) + 96;
        composed = malloc(cap);
        if (composed != NULL) {
            size_t el = strlen(error->str1);
            snprintf(composed, cap, "XPath error: %.*s in '%.200s%s' (at character %d)", (int)ml, msg,
                     error->str1, el > 200 ? "…" : "", error->int1 + 1);
            message = composed;
        }
    }
    const char *file = error->file;
    int line = error->line;
    int column = error->int2;
    const char *element = NULL;
    xmlNodePtr inst = tl_tctxt != NULL ? tl_tctxt->inst : NULL;
    if ((file == NULL || line <= 0) && inst != NULL) {
        /* XPath errors carry no place: the running instruction is where the expression is. */
        file = node_file(inst);
        line = node_line(inst);
        column = 0;
        element = (const char *)inst->name;
    }
    int level = error->level == XML_ERR_WARNING ? 1 : (error->level == XML_ERR_FATAL ? 3 : 2);
    collector_add(c, FOLIO_XSLT_CHANNEL_STRUCTURED, level, error->domain, error->code, file, line,
                  column, element, message, 0);
    free(composed);
}

/* ------------------------------------------------------------------------------------------------ */
/* Sandbox                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

/* realpath of `sandbox` + "/" into `out` (PATH_MAX + 2). */
static int resolve_sandbox(const char *sandbox, char *out) {
    if (sandbox == NULL || *sandbox == 0) return 0;
    char tmp[PATH_MAX];
    if (realpath(sandbox, tmp) == NULL) return 0;
    struct stat st;
    if (stat(tmp, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
    size_t n = strlen(tmp);
    memcpy(out, tmp, n + 1);
    if (n == 0 || out[n - 1] != '/') { out[n] = '/'; out[n + 1] = 0; }
    return 1;
}

/* Resolves `path` (symlinks and "..") and checks that it lies inside the sandbox. A missing file is
 * resolved through its folder, so that "not found" is reported as such. */
static int path_in_sandbox(const char *sandbox, const char *path, char *out) {
    if (sandbox == NULL || path == NULL || *path == 0 || strlen(path) >= PATH_MAX) return 0;
    char resolved[PATH_MAX];
    if (realpath(path, resolved) == NULL) {
        if (errno != ENOENT) return 0;
        char dir[PATH_MAX], base[PATH_MAX];
        const char *slash = strrchr(path, '/');
        if (slash == NULL) {
            strcpy(dir, ".");
            strcpy(base, path);
        } else {
            size_t dl = (size_t)(slash - path);
            if (dl == 0) dl = 1;   /* "/name": the folder is "/" */
            memcpy(dir, path, dl);
            dir[dl] = 0;
            strcpy(base, slash + 1);
        }
        if (base[0] == 0 || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) return 0;
        char rdir[PATH_MAX];
        if (realpath(dir, rdir) == NULL) return 0;
        if (snprintf(resolved, sizeof(resolved), "%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir, base) >= (int)sizeof(resolved))
            return 0;
    }
    size_t n = strlen(sandbox);
    if (strncmp(resolved, sandbox, n) != 0 || resolved[n] == 0) return 0;
    strcpy(out, resolved);
    return 1;
}

static int has_scheme(const char *s) {
    const char *p = s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.') p++;
    return *p == ':';
}

/* A URI (as libxslt computed it) to a sandboxed file path: only local files, only inside. */
static int uri_in_sandbox(const char *sandbox, const char *uri, char *out) {
    if (sandbox == NULL || uri == NULL) return 0;
    xmlURIPtr u = xmlParseURI(uri);
    int ok = 0;
    if (u != NULL) {
        int local = u->scheme == NULL || strcmp(u->scheme, "file") == 0;
        int remote_host = u->server != NULL && *u->server != 0 && strcmp(u->server, "localhost") != 0;
        if (local && !remote_host) {
            if (u->scheme == NULL) ok = path_in_sandbox(sandbox, uri, out);
            if (!ok && u->path != NULL) ok = path_in_sandbox(sandbox, u->path, out);
        }
        xmlFreeURI(u);
    } else if (!has_scheme(uri)) {
        ok = path_in_sandbox(sandbox, uri, out);
    }
    return ok;
}

static void refusal(xsltTransformContextPtr tctxt, const char *fmt, const char *what) {
    folio_xslt_collector *c = tl_collector;
    if (c == NULL) return;
    flush_pending(c);
    char msg[1024];
    snprintf(msg, sizeof(msg), fmt, what != NULL ? what : "(nothing)");
    xmlNodePtr inst = tctxt != NULL ? tctxt->inst : NULL;
    collector_add(c, FOLIO_XSLT_CHANNEL_SECURITY, 2, 0, 0, node_file(inst), node_line(inst), 0,
                  inst != NULL ? (const char *)inst->name : NULL, msg, 0);
}

/* Reads at compile time (tctxt == NULL: xsl:import, xsl:include) are let through to folio_doc_loader,
 * which applies the same sandbox and refuses there, so that libxslt then names the importing element. */
static int sec_read_file(xsltSecurityPrefsPtr sec, xsltTransformContextPtr tctxt, const char *value) {
    (void)sec;
    if (tctxt == NULL) return 1;
    char out[PATH_MAX];
    if (tl_sandbox != NULL && value != NULL && path_in_sandbox(tl_sandbox, value, out)) return 1;
    refusal(tctxt, "reading '%s' is not allowed: only files inside the report package can be read", value);
    return 0;
}

static int sec_write_file(xsltSecurityPrefsPtr sec, xsltTransformContextPtr tctxt, const char *value) {
    (void)sec;
    refusal(tctxt, "writing '%s' is not allowed: stylesheets cannot write files", value);
    return 0;
}

static int sec_create_dir(xsltSecurityPrefsPtr sec, xsltTransformContextPtr tctxt, const char *value) {
    (void)sec;
    refusal(tctxt, "creating the directory '%s' is not allowed", value);
    return 0;
}

static int sec_read_net(xsltSecurityPrefsPtr sec, xsltTransformContextPtr tctxt, const char *value) {
    (void)sec;
    if (tctxt == NULL) return 1;   /* compile time: refused by folio_doc_loader, see sec_read_file */
    refusal(tctxt, "reading '%s' is not allowed: stylesheets have no network access", value);
    return 0;
}

static int sec_write_net(xsltSecurityPrefsPtr sec, xsltTransformContextPtr tctxt, const char *value) {
    (void)sec;
    refusal(tctxt, "writing '%s' is not allowed: stylesheets have no network access", value);
    return 0;
}

static xsltSecurityPrefsPtr folio_prefs;

/* ------------------------------------------------------------------------------------------------ */
/* Loading                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

static const xmlChar *external_entity(xmlDocPtr doc) {
    if (doc == NULL || doc->intSubset == NULL) return NULL;
    for (xmlNodePtr n = doc->intSubset->children; n != NULL; n = n->next) {
        if (n->type != XML_ENTITY_DECL) continue;
        xmlEntityPtr e = (xmlEntityPtr)n;
        if (e->etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY || e->etype == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY ||
            e->etype == XML_EXTERNAL_PARAMETER_ENTITY)
            return e->name != NULL ? e->name : BAD_CAST "?";
    }
    return NULL;
}

static xmlDocPtr refuse_external_entities(xmlDocPtr doc, const char *url) {
    const xmlChar *name = external_entity(doc);
    if (name == NULL) return doc;
    char msg[512];
    snprintf(msg, sizeof(msg), "the document declares the external entity '%.200s': external entities are not allowed",
             (const char *)name);
    long line = 0;
    for (xmlNodePtr n = doc->children; n != NULL; n = n->next)
        if (n->type == XML_DTD_NODE) { line = xmlGetLineNo(n); break; }
    collector_add(tl_collector, FOLIO_XSLT_CHANNEL_SECURITY, 2, 0, 0, url, line > 0 ? (int)line : 0, 0, NULL, msg, 0);
    xmlFreeDoc(doc);
    return NULL;
}

/* Reads a (sandbox-checked, resolved) file and parses it with `options`, naming it `url`. A file that
 * cannot be read is reported as a warning: document() then recovers with an empty node-set (as XSLT
 * allows), and a failed xsl:import/xsl:include gets libxslt's own error naming the element. */
static xmlDocPtr load_file(const char *path, const char *url, xmlDictPtr dict, int options, int record) {
    folio_xslt_collector *c = tl_collector;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        char msg[PATH_MAX + 64];
        snprintf(msg, sizeof(msg), errno == ENOENT ? "cannot read '%s': no such file" : "cannot read '%s'", url);
        collector_add(c, FOLIO_XSLT_CHANNEL_GENERIC, 1, 0, 0, NULL, 0, 0, NULL, msg, 0);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > FOLIO_MAX_FILE_SIZE) {
        close(fd);
        char msg[PATH_MAX + 64];
        snprintf(msg, sizeof(msg), "cannot read '%s': not a regular file of reasonable size", url);
        collector_add(c, FOLIO_XSLT_CHANNEL_GENERIC, 1, 0, 0, NULL, 0, 0, NULL, msg, 0);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);
    size_t got = 0;
    while (buf != NULL && got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (buf == NULL || got != size) {
        free(buf);
        char msg[PATH_MAX + 64];
        snprintf(msg, sizeof(msg), "cannot read '%s'", url);
        collector_add(c, FOLIO_XSLT_CHANNEL_GENERIC, 1, 0, 0, NULL, 0, 0, NULL, msg, 0);
        return NULL;
    }
    if (record) collector_add_loaded(c, path, &st);

    xmlDocPtr doc = NULL;
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    if (pctxt != NULL) {
        if (dict != NULL) {
            if (pctxt->dict != NULL) xmlDictFree(pctxt->dict);
            pctxt->dict = dict;
            xmlDictReference(dict);
        }
        doc = xmlCtxtReadMemory(pctxt, buf, (int)size, url, NULL, options);
        if (doc != NULL && !pctxt->wellFormed) { xmlFreeDoc(doc); doc = NULL; }
        xmlFreeParserCtxt(pctxt);
    }
    free(buf);
    return refuse_external_entities(doc, url);
}

/* xsltSetLoaderFunc: every xsl:import, xsl:include and document() goes through here. */
static xmlDocPtr folio_doc_loader(const xmlChar *URI, xmlDictPtr dict, int options, void *ctxt, xsltLoadType type) {
    (void)options;
    xsltTransformContextPtr tctxt = type == XSLT_LOAD_DOCUMENT ? (xsltTransformContextPtr)ctxt : NULL;
    char path[PATH_MAX];
    if (URI == NULL || tl_sandbox == NULL || !uri_in_sandbox(tl_sandbox, (const char *)URI, path)) {
        refusal(tctxt, "reading '%s' is not allowed: only files inside the report package can be read",
                (const char *)URI);
        return NULL;
    }
    if (type == XSLT_LOAD_DOCUMENT)
        return load_file(path, (const char *)URI, dict, FOLIO_DATA_OPTIONS, 0);
    return load_file(path, (const char *)URI, dict, FOLIO_STYLE_OPTIONS, 1);
}

/* ------------------------------------------------------------------------------------------------ */
/* Global initialisation                                                                            */
/* ------------------------------------------------------------------------------------------------ */

/* libxslt's debug channel (tracing, xsltproc --verbose) goes nowhere. */
static void folio_discard_debug(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

static pthread_once_t folio_xslt_once = PTHREAD_ONCE_INIT;

static void folio_xslt_init_once(void) {
    folio_xml_global_init();
    xsltInit();
    exsltRegisterAll();
    xsltSetGenericErrorFunc(NULL, folio_generic_trampoline);
    xsltSetGenericDebugFunc(NULL, folio_discard_debug);
    xsltSetLoaderFunc(folio_doc_loader);
    folio_prefs = xsltNewSecurityPrefs();
    if (folio_prefs != NULL) {
        xsltSetSecurityPrefs(folio_prefs, XSLT_SECPREF_READ_FILE, sec_read_file);
        xsltSetSecurityPrefs(folio_prefs, XSLT_SECPREF_WRITE_FILE, sec_write_file);
        xsltSetSecurityPrefs(folio_prefs, XSLT_SECPREF_CREATE_DIRECTORY, sec_create_dir);
        xsltSetSecurityPrefs(folio_prefs, XSLT_SECPREF_READ_NETWORK, sec_read_net);
        xsltSetSecurityPrefs(folio_prefs, XSLT_SECPREF_WRITE_NETWORK, sec_write_net);
        xsltSetDefaultSecurityPrefs(folio_prefs);
    }
}

void folio_xslt_global_init(void) {
    pthread_once(&folio_xslt_once, folio_xslt_init_once);
}

/* ------------------------------------------------------------------------------------------------ */
/* Parsing and compiling                                                                            */
/* ------------------------------------------------------------------------------------------------ */

void *folio_xslt_parse_data(const char *bytes, size_t length, const char *url, folio_xslt_collector *c) {
    folio_xslt_global_init();
    if (length > (size_t)INT_MAX) {
        collector_add(c, FOLIO_XSLT_CHANNEL_GENERIC, 2, 0, 0, url, 0, 0, NULL, "the document is larger than 2 GB", 0);
        return NULL;
    }
    folio_scope scope;
    scope_enter(&scope, c, NULL);
    xmlDocPtr doc = xmlReadMemory(bytes != NULL ? bytes : "", (int)length, url, NULL, FOLIO_DATA_OPTIONS);
    doc = refuse_external_entities(doc, url);
    scope_leave(&scope);
    return doc;
}

void *folio_xslt_read_stylesheet(const char *path, const char *sandbox, folio_xslt_collector *c) {
    folio_xslt_global_init();
    char box[PATH_MAX + 2];
    if (!resolve_sandbox(sandbox, box)) {
        char msg[PATH_MAX + 64];
        snprintf(msg, sizeof(msg), "the report package folder '%s' does not exist", sandbox ? sandbox : "");
        collector_add(c, FOLIO_XSLT_CHANNEL_GENERIC, 1, 0, 0, NULL, 0, 0, NULL, msg, 0);
        return NULL;
    }
    folio_scope scope;
    scope_enter(&scope, c, box);
    xmlDocPtr doc = NULL;
    char resolved[PATH_MAX];
    if (!path_in_sandbox(box, path, resolved)) {
        refusal(NULL, "reading '%s' is not allowed: the stylesheet is outside its report package", path);
    } else {
        doc = load_file(resolved, path, NULL, FOLIO_STYLE_OPTIONS, 1);
    }
    scope_leave(&scope);
    return doc;
}

void *folio_xslt_compile(void *docp, const char *sandbox, folio_xslt_collector *c) {
    folio_xslt_global_init();
    xmlDocPtr doc = docp;
    if (doc == NULL) return NULL;
    char box[PATH_MAX + 2];
    int have_box = resolve_sandbox(sandbox, box);
    folio_scope scope;
    scope_enter(&scope, c, have_box ? box : NULL);
    xsltStylesheetPtr style = xsltParseStylesheetDoc(doc);
    if (style == NULL) {
        xmlFreeDoc(doc);
    } else if (style->errors != 0) {
        xsltFreeStylesheet(style);   /* owns doc */
        style = NULL;
    }
    scope_leave(&scope);
    return style;
}

void folio_xslt_free_stylesheet(void *stylesheet) {
    if (stylesheet != NULL) xsltFreeStylesheet(stylesheet);
}

void folio_xslt_free_doc(void *doc) {
    if (doc != NULL) xmlFreeDoc(doc);
}

int folio_xslt_serialize_doc(void *doc, unsigned char **out, size_t *length) {
    *out = NULL;
    *length = 0;
    if (doc == NULL) return -1;
    xmlDocPtr d = doc;
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(d, &mem, &size, d->encoding != NULL ? (const char *)d->encoding : "UTF-8", 0);
    if (mem == NULL) return -1;
    unsigned char *copy = malloc((size_t)size + 1);
    if (copy == NULL) { xmlFree(mem); return -1; }
    memcpy(copy, mem, (size_t)size);
    xmlFree(mem);
    *out = copy;
    *length = (size_t)size;
    return 0;
}

void folio_xslt_free_buffer(void *buffer) { free(buffer); }

/* ------------------------------------------------------------------------------------------------ */
/* Transform                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

typedef struct {
    unsigned char *data;
    size_t length, capacity, limit;
    int overflow;
} folio_sink;

static int sink_write(void *ctx, const char *buffer, int len) {
    folio_sink *s = ctx;
    if (len <= 0) return 0;
    if (s->overflow || s->length + (size_t)len > s->limit) { s->overflow = 1; return -1; }
    if (s->length + (size_t)len > s->capacity) {
        size_t cap = s->capacity ? s->capacity : 16384;
        while (cap < s->length + (size_t)len) cap *= 2;
        unsigned char *d = realloc(s->data, cap);
        if (d == NULL) { s->overflow = 1; return -1; }
        s->data = d;
        s->capacity = cap;
    }
    memcpy(s->data + s->length, buffer, (size_t)len);
    s->length += (size_t)len;
    return len;
}

static int sink_close(void *ctx) { (void)ctx; return 0; }

typedef struct {
    folio_xslt_job *job;
    char sandbox[PATH_MAX + 2];
    int have_sandbox;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    int done;
    int timed_out;
    xsltTransformContextPtr watched;   /* guarded by mutex: the watchdog may stop it */
} folio_run;

static void stop_engine(xsltTransformContextPtr ctxt) {
    /* Called from the watchdog thread with the run's mutex held: the context stays alive until the
     * worker clears `watched` under the same mutex. These are single-word stores that the engine
     * polls; libxslt offers no other way to interrupt a transform. */
    ctxt->opCount = 1;
    ctxt->opLimit = 1;
    if (ctxt->xpathCtxt != NULL) {
        ctxt->xpathCtxt->opCount = 1;
        ctxt->xpathCtxt->opLimit = 1;
    }
    /* What xsltStopEngine() does in libxslt versions that export it (Debian 12's 1.1.35 does not). */
    ctxt->state = XSLT_STATE_STOPPED;
}

/* Records, in document order, the stylesheet line libxml2 copied onto each result element (the
 * line of the literal result element that wrote it), so errors found later in the generated RML
 * can name the stylesheet line that produced the element. Iterative: result trees may be deep. */
static void record_origins(folio_xslt_job *job, xmlDocPtr result) {
    size_t capacity = 0, count = 0;
    unsigned int *lines = NULL;
    xmlNodePtr node = result->children;
    while (node != NULL) {
        if (node->type == XML_ELEMENT_NODE) {
            if (count == capacity) {
                size_t grown = capacity ? capacity * 2 : 1024;
                unsigned int *bigger = realloc(lines, grown * sizeof *lines);
                if (bigger == NULL) { free(lines); return; }
                lines = bigger;
                capacity = grown;
            }
            lines[count++] = (unsigned int)node->line;
            if (node->children != NULL) { node = node->children; continue; }
        }
        while (node != NULL && node->next == NULL) {
            node = node->parent;
            if (node == NULL || node == (xmlNodePtr)result) { node = NULL; break; }
        }
        if (node != NULL) node = node->next;
    }
    job->origin_lines = lines;
    job->origin_count = count;
}

static void serialize_result(folio_xslt_job *job, xmlDocPtr result, xsltStylesheetPtr style) {
    folio_sink sink = {NULL, 0, 0, job->max_output, 0};
    if (result->children != NULL) {
        const xmlChar *encoding;
        XSLT_GET_IMPORT_PTR(encoding, style, encoding)
        xmlCharEncodingHandlerPtr encoder = NULL;
        if (encoding != NULL) {
            encoder = xmlFindCharEncodingHandler((const char *)encoding);
            if (encoder != NULL && xmlStrEqual(BAD_CAST encoder->name, BAD_CAST "UTF-8")) encoder = NULL;
        }
        xmlOutputBufferPtr out = xmlOutputBufferCreateIO(sink_write, sink_close, &sink, encoder);
        if (out == NULL) {
            job->status = FOLIO_XSLT_INTERNAL;
            return;
        }
        xsltSaveResultTo(out, result, style);
        int rc = xmlOutputBufferClose(out);
        if (sink.overflow) {
            free(sink.data);
            job->status = FOLIO_XSLT_OUTPUT_LIMIT;
            return;
        }
        if (rc < 0) {
            free(sink.data);
            collector_add(tl_collector, FOLIO_XSLT_CHANNEL_GENERIC, 2, 0, 0, NULL, 0, 0, NULL,
                          "the result could not be serialized", 0);
            job->status = FOLIO_XSLT_FAILED;
            return;
        }
    }
    if (sink.data == NULL) sink.data = malloc(1);
    job->output = sink.data;
    job->output_length = sink.length;
    job->status = FOLIO_XSLT_OK;
}

static void *folio_run_worker(void *arg) {
    folio_run *run = arg;
    folio_xslt_job *job = run->job;
    xsltStylesheetPtr style = job->stylesheet;
    xmlDocPtr doc = job->document;
    folio_scope scope;
    scope_enter(&scope, job->collector, run->have_sandbox ? run->sandbox : NULL);

    xsltTransformContextPtr ctxt = xsltNewTransformContext(style, doc);
    if (ctxt == NULL) {
        job->status = FOLIO_XSLT_INTERNAL;
    } else {
        tl_tctxt = ctxt;
        xsltSetTransformErrorFunc(ctxt, NULL, folio_transform_trampoline);
        if (folio_prefs != NULL) xsltSetCtxtSecurityPrefs(folio_prefs, ctxt);
        xsltSetCtxtParseOptions(ctxt, FOLIO_DATA_OPTIONS);
        ctxt->xinclude = 0;
        ctxt->maxTemplateDepth = job->max_depth > 0 ? job->max_depth : 1;
        pthread_mutex_lock(&run->mutex);
        run->watched = ctxt;
        int stop_now = run->timed_out;
        if (stop_now) stop_engine(ctxt);
        pthread_mutex_unlock(&run->mutex);

        int params_ok = 1;
        if (job->params != NULL && job->params[0] != NULL)
            params_ok = xsltQuoteUserParams(ctxt, job->params) == 0;
        xmlDocPtr result = NULL;
        if (params_ok && !stop_now)
            result = xsltApplyStylesheetUser(style, doc, NULL, NULL, NULL, ctxt);
        flush_pending(job->collector);

        int state = ctxt->state;
        pthread_mutex_lock(&run->mutex);
        int timed_out = run->timed_out;
        pthread_mutex_unlock(&run->mutex);

        if (timed_out) {
            job->status = FOLIO_XSLT_TIMEOUT;
        } else if (!params_ok || state == XSLT_STATE_ERROR) {
            job->status = FOLIO_XSLT_FAILED;
        } else if (state == XSLT_STATE_STOPPED) {
            job->status = FOLIO_XSLT_TERMINATED;
        } else if (result == NULL) {
            job->status = FOLIO_XSLT_FAILED;
        } else {
            serialize_result(job, result, style);
            if (job->status == FOLIO_XSLT_OK) record_origins(job, result);
            pthread_mutex_lock(&run->mutex);
            if (run->timed_out && job->status == FOLIO_XSLT_OK) {
                free(job->output);
                job->output = NULL;
                job->output_length = 0;
                free(job->origin_lines);
                job->origin_lines = NULL;
                job->origin_count = 0;
                job->status = FOLIO_XSLT_TIMEOUT;
            }
            pthread_mutex_unlock(&run->mutex);
        }
        if (result != NULL) xmlFreeDoc(result);

        pthread_mutex_lock(&run->mutex);
        run->watched = NULL;
        pthread_mutex_unlock(&run->mutex);
        tl_tctxt = NULL;
        xsltFreeTransformContext(ctxt);
    }
    scope_leave(&scope);

    pthread_mutex_lock(&run->mutex);
    run->done = 1;
    pthread_cond_signal(&run->cond);
    pthread_mutex_unlock(&run->mutex);
    return NULL;
}

static void add_seconds(struct timespec *t, double seconds) {
    double whole = floor(seconds);
    long nsec = (long)((seconds - whole) * 1e9);
    t->tv_sec += (time_t)whole;
    t->tv_nsec += nsec;
    if (t->tv_nsec >= 1000000000L) { t->tv_sec += 1; t->tv_nsec -= 1000000000L; }
}

void folio_xslt_run(folio_xslt_job *job) {
    folio_xslt_global_init();
    job->status = FOLIO_XSLT_INTERNAL;
    job->output = NULL;
    job->output_length = 0;
    job->origin_lines = NULL;
    job->origin_count = 0;
    if (job->stylesheet == NULL || job->document == NULL) return;

    folio_run *run = calloc(1, sizeof(folio_run));
    if (run == NULL) return;
    run->job = job;
    run->have_sandbox = job->sandbox != NULL && resolve_sandbox(job->sandbox, run->sandbox);
    pthread_condattr_t cattr;
    pthread_condattr_init(&cattr);
    pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
    pthread_cond_init(&run->cond, &cattr);
    pthread_condattr_destroy(&cattr);
    pthread_mutex_init(&run->mutex, NULL);

    /* Deep template recursion recurses in C: give the worker a stack sized for max_depth (the memory
     * is reserved, and only touched as deep as the transform goes). */
    size_t depth = job->max_depth > 0 ? (size_t)job->max_depth : 1;
    size_t stack = ((size_t)16 << 20) + depth * 16384;
    if (stack > ((size_t)1 << 30)) stack = (size_t)1 << 30;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stack);
    pthread_t worker;
    int created = pthread_create(&worker, &attr, folio_run_worker, run);
    pthread_attr_destroy(&attr);
    if (created != 0) {
        collector_add(job->collector, FOLIO_XSLT_CHANNEL_GENERIC, 2, 0, 0, NULL, 0, 0, NULL,
                      "cannot start the transformation thread", 0);
        pthread_mutex_destroy(&run->mutex);
        pthread_cond_destroy(&run->cond);
        free(run);
        return;
    }

    int watchdog = isfinite(job->timeout) && job->timeout > 0;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    add_seconds(&deadline, watchdog ? (job->timeout < 1e9 ? job->timeout : 1e9) : 0);

    pthread_mutex_lock(&run->mutex);
    while (!run->done) {
        if (!watchdog) {
            pthread_cond_wait(&run->cond, &run->mutex);
            continue;
        }
        int rc = pthread_cond_timedwait(&run->cond, &run->mutex, &deadline);
        if (rc == ETIMEDOUT && !run->done) {
            run->timed_out = 1;
            if (run->watched != NULL) stop_engine(run->watched);
            /* Keep poking every 50 ms: XPath sub-contexts (document() fragments) copy the limits. */
            clock_gettime(CLOCK_MONOTONIC, &deadline);
            add_seconds(&deadline, 0.05);
        }
    }
    pthread_mutex_unlock(&run->mutex);
    pthread_join(worker, NULL);
    pthread_mutex_destroy(&run->mutex);
    pthread_cond_destroy(&run->cond);
    free(run);
}
