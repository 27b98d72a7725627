#include "FolioShims.h"
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <pthread.h>

static void folio_discard_generic(void *ctx, const char *msg, ...) {
    (void)ctx; (void)msg;
}

/* Folio's parsers never load external entities or DTDs: refuse every request (no XXE, no network). */
static xmlParserInputPtr folio_refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    (void)url; (void)id; (void)ctxt;
    return NULL;
}

static pthread_once_t folio_xml_once = PTHREAD_ONCE_INIT;

static void folio_xml_init_once(void) {
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, folio_discard_generic);
    xmlSetExternalEntityLoader(folio_refuse_entity);
}

void folio_xml_global_init(void) {
    pthread_once(&folio_xml_once, folio_xml_init_once);
    /* libxml2's generic handler is per thread: set it for the calling thread too. */
    xmlSetGenericErrorFunc(NULL, folio_discard_generic);
}

void folio_xml_free(void *ptr) {
    xmlFree(ptr);
}
