#ifndef FOLIO_SHIMS_H
#define FOLIO_SHIMS_H

/// One-time global initialisation of libxml2 (and, later, libxslt/EXSLT).
/// Installs a generic error handler that discards libxml2's stderr output:
/// Folio collects errors through the structured handlers instead.
void folio_xml_global_init(void);

/// Frees memory allocated by libxml2 (xmlFree is a global function pointer Swift 6 rejects).
void folio_xml_free(void *ptr);

#endif
