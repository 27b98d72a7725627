// Generated from docs/openapi.yaml: after editing that file, run
// `FOLIO_RECORD=1 swift test --filter OpenAPIDocumentTests` and rebuild. Do not edit by hand.

/// The service's OpenAPI document, served at `GET /openapi.yaml`.
enum OpenAPIDocument {
    static let contentType = "application/yaml"

    static let yaml = ##"""
openapi: 3.1.0
info:
  title: Folio report rendering service
  version: 1.0.0
  summary: Renders RML, XSL:RML and package reports to PDF; jobs and batches; OpenERP's XML-RPC print protocol.
  description: |
    The HTTP API of `folio serve` (docs/api.md explains it in prose, docs/operations.md the
    configuration). The service serves this document at `GET /openapi.yaml`.

    Every route but `/healthz` and `/xmlrpc/*` needs `Authorization: Bearer TOKEN` when tokens are
    configured (always when listening beyond loopback). Every error is an
    `application/problem+json` document (RFC 9457) with a stable `code`.

    Renders are streamed: the status is sent with the first bytes. A render that fails before
    them is answered with its problem document; one that fails later (a limit reached on a late
    page) ends the connection without the final chunk, so a cut PDF never looks whole.
  license:
    name: Proprietary
    identifier: LicenseRef-Proprietary
servers:
  - url: http://127.0.0.1:8080
    description: "`folio serve` with its defaults"
security:
  - bearer: []
tags:
  - name: renders
    description: Renders answered while the pages are produced.
  - name: jobs
    description: Renders and batches queued, run in the background and fetched later.
  - name: service
    description: Health, metrics, the installed reports and this document.
  - name: xmlrpc
    description: OpenERP's XML-RPC print protocol (`report`, `report_get`, `render_report`).

paths:
  /v1/reports/{name}/render:
    post:
      tags: [renders]
      operationId: renderReport
      summary: Render a package report
      description: |
        Renders a report an installed package declares, with its data from the configured
        database (`ids`), from the request (`data`, or an XML body) or from the package's sample
        data (neither).
      parameters:
        - $ref: "#/components/parameters/ReportName"
        - $ref: "#/components/parameters/Format"
      requestBody:
        required: false
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/ReportRenderRequest"
            examples:
              records:
                value: {ids: [12, 15]}
              posted:
                value: {data: "<picking>…</picking>", language: fr}
              sample:
                value: {}
          application/xml:
            schema:
              type: string
              description: The report's data XML.
      responses:
        "200":
          $ref: "#/components/responses/Rendered"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "413":
          $ref: "#/components/responses/BodyTooLarge"
        "415":
          $ref: "#/components/responses/UnsupportedMediaType"
        "422":
          $ref: "#/components/responses/Unprocessable"
        "429":
          $ref: "#/components/responses/Busy"
        "500":
          $ref: "#/components/responses/InternalError"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/render:
    post:
      tags: [renders]
      operationId: renderRML
      summary: Render posted RML (ad hoc)
      description: |
        Renders an RML document sent as the body, or as `{"rml": "…"}`. Relative references
        resolve in an empty folder. Answered 403 `disabled` when `adHoc.enabled` is false.
      parameters:
        - $ref: "#/components/parameters/Format"
      requestBody:
        required: true
        content:
          application/xml:
            schema:
              type: string
              description: An RML document.
          text/xml:
            schema:
              type: string
              description: An RML document.
          application/json:
            schema:
              $ref: "#/components/schemas/RMLRenderRequest"
      responses:
        "200":
          $ref: "#/components/responses/Rendered"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "413":
          $ref: "#/components/responses/BodyTooLarge"
        "422":
          $ref: "#/components/responses/Unprocessable"
        "429":
          $ref: "#/components/responses/Busy"
        "500":
          $ref: "#/components/responses/InternalError"

  /v1/transform:
    post:
      tags: [renders]
      operationId: renderStylesheet
      summary: Transform posted data with a posted XSL:RML stylesheet and render the result (ad hoc)
      description: |
        The stylesheet may import nothing. Answered 403 `disabled` when `adHoc.enabled` is false.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/TransformRequest"
      responses:
        "200":
          $ref: "#/components/responses/Rendered"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "413":
          $ref: "#/components/responses/BodyTooLarge"
        "415":
          $ref: "#/components/responses/UnsupportedMediaType"
        "422":
          $ref: "#/components/responses/Unprocessable"
        "429":
          $ref: "#/components/responses/Busy"
        "500":
          $ref: "#/components/responses/InternalError"

  /v1/reports:
    get:
      tags: [service]
      operationId: listReports
      summary: Installed packages and their reports
      responses:
        "200":
          description: The installed packages, by name.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/ReportList"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "422":
          $ref: "#/components/responses/Unprocessable"
        "500":
          $ref: "#/components/responses/InternalError"

  /v1/jobs:
    post:
      tags: [jobs]
      operationId: submitJob
      summary: Queue a render or a batch
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/JobRequest"
            examples:
              merged:
                value: {report: stock.picking.list, ids: [12, 15, 17], batch: merged,
                        webhook: "https://erp.example.com/folio-done"}
      responses:
        "202":
          description: Queued; the body is the job's first status.
          headers:
            Location:
              description: "`/v1/jobs/{id}`"
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/JobStatus"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "413":
          $ref: "#/components/responses/BodyTooLarge"
        "415":
          $ref: "#/components/responses/UnsupportedMediaType"
        "422":
          $ref: "#/components/responses/Unprocessable"
        "500":
          $ref: "#/components/responses/InternalError"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/jobs/{id}:
    parameters:
      - $ref: "#/components/parameters/JobID"
    get:
      tags: [jobs]
      operationId: jobStatus
      summary: A job's status
      responses:
        "200":
          description: The job's status.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/JobStatus"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "404":
          $ref: "#/components/responses/NotFound"
        "500":
          $ref: "#/components/responses/InternalError"
        "503":
          $ref: "#/components/responses/Unavailable"
    delete:
      tags: [jobs]
      operationId: cancelJob
      summary: Cancel a queued or running job
      responses:
        "200":
          description: Cancelled; the body is the job's status (`state` is `cancelled`).
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/JobStatus"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "404":
          $ref: "#/components/responses/NotFound"
        "409":
          $ref: "#/components/responses/Conflict"
        "500":
          $ref: "#/components/responses/InternalError"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/jobs/{id}/result:
    parameters:
      - $ref: "#/components/parameters/JobID"
    get:
      tags: [jobs]
      operationId: jobResult
      summary: A finished job's output
      responses:
        "200":
          description: The PDF (a single render, or a merged batch) or the ZIP archive (`batch` zip).
          headers:
            Content-Disposition:
              schema:
                type: string
          content:
            application/pdf:
              schema:
                type: string
                contentMediaType: application/pdf
            application/zip:
              schema:
                type: string
                contentMediaType: application/zip
        "401":
          $ref: "#/components/responses/Unauthorized"
        "404":
          $ref: "#/components/responses/NotFound"
        "409":
          $ref: "#/components/responses/Conflict"
        "422":
          $ref: "#/components/responses/Unprocessable"
        "500":
          $ref: "#/components/responses/InternalError"
        "503":
          $ref: "#/components/responses/Unavailable"

  /healthz:
    get:
      tags: [service]
      operationId: health
      summary: Liveness
      security: []
      responses:
        "200":
          description: The process is serving.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Health"

  /metrics:
    get:
      tags: [service]
      operationId: metrics
      summary: Prometheus metrics (docs/operations.md lists them)
      responses:
        "200":
          description: Prometheus text exposition format.
          content:
            text/plain:
              schema:
                type: string
        "401":
          $ref: "#/components/responses/Unauthorized"

  /openapi.yaml:
    get:
      tags: [service]
      operationId: openAPIDocument
      summary: This document
      responses:
        "200":
          description: The OpenAPI document of the running service.
          content:
            application/yaml:
              schema:
                type: string
        "401":
          $ref: "#/components/responses/Unauthorized"

  /xmlrpc/report:
    post:
      tags: [xmlrpc]
      operationId: xmlrpcReport
      summary: OpenERP's report service
      description: |
        XML-RPC `report(db, uid, password, report_name, ids, datas, context)`,
        `report_get(db, uid, password, id)` and `render_report(db, uid, password, report_name,
        ids, datas, context)`, as OpenERP 4.0–8.0 served them. Calls are checked against
        `xmlrpc.credentials`, not bearer tokens. Failures are XML-RPC faults (`AccessDenied`,
        `ReportNotFound`, or a problem code such as `stylesheet-error`) inside a 200 answer.
        Registered only while `xmlrpc.enabled` is true (the default).
      security: []
      requestBody:
        $ref: "#/components/requestBodies/XMLRPCCall"
      responses:
        "200":
          $ref: "#/components/responses/XMLRPCAnswer"
        "413":
          $ref: "#/components/responses/BodyTooLarge"
        "500":
          $ref: "#/components/responses/InternalError"

  /xmlrpc/2/report:
    post:
      tags: [xmlrpc]
      operationId: xmlrpcReportV2
      summary: OpenERP's report service (the `/xmlrpc/2/` spelling)
      description: The same service as `/xmlrpc/report`.
      security: []
      requestBody:
        $ref: "#/components/requestBodies/XMLRPCCall"
      responses:
        "200":
          $ref: "#/components/responses/XMLRPCAnswer"
        "413":
          $ref: "#/components/responses/BodyTooLarge"
        "500":
          $ref: "#/components/responses/InternalError"

components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: One of the configured tokens (`auth.tokens`, `--token`, `FOLIO_API_TOKENS`).

  parameters:
    ReportName:
      name: name
      in: path
      required: true
      description: A report name an installed package declares, e.g. `stock.picking.list`.
      schema:
        type: string
    JobID:
      name: id
      in: path
      required: true
      description: The job's id, as `POST /v1/jobs` answered it.
      schema:
        type: string
    Format:
      name: format
      in: query
      required: false
      description: |
        `pdf` (default), `rml` (the generated RML) or `raw` (the data XML the stylesheet read;
        not for posted RML). A `format` field in a JSON body wins.
      schema:
        $ref: "#/components/schemas/Format"

  requestBodies:
    XMLRPCCall:
      required: true
      content:
        text/xml:
          schema:
            type: string
            description: An XML-RPC `methodCall`.

  responses:
    Rendered:
      description: |
        The output, streamed (chunked) while the pages are produced: `application/pdf`, or
        `application/xml` for `format` rml or raw.
      headers:
        Content-Disposition:
          schema:
            type: string
          description: "`inline; filename=\"NAME.pdf\"` (`.rml`, `.xml` for the other formats)."
      content:
        application/pdf:
          schema:
            type: string
            contentMediaType: application/pdf
        application/xml:
          schema:
            type: string
    XMLRPCAnswer:
      description: An XML-RPC `methodResponse`, a value or a fault.
      content:
        text/xml:
          schema:
            type: string
    BadRequest:
      description: "Malformed request, data or RML: `bad-request`, `data-error`, `document-error`."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Unauthorized:
      description: "`unauthorized`: a bearer token is missing or not valid."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Forbidden:
      description: "`security-error` (sandbox violation, webhook host not allowed) or `disabled` (ad-hoc renders off)."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    NotFound:
      description: "`not-found` (no such job or route) or `report-not-found`."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Conflict:
      description: "`job-not-finished`: the result was asked for too early, or the job to cancel has already ended."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    BodyTooLarge:
      description: "`body-too-large`: the body exceeds `limits.maxBodyBytes`."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    UnsupportedMediaType:
      description: "`unsupported-media-type`: neither JSON nor (where accepted) XML."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Unprocessable:
      description: |
        `stylesheet-error`, `definition-error`, `package-error`, `limit-exceeded` (a render
        stopped by a limit before its first byte; a batch larger than `jobs.maxRecords`),
        `job-failed` (the result of a failed or cancelled job).
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Busy:
      description: "`busy`: every render slot is taken and the waiting line is full."
      headers:
        Retry-After:
          description: Seconds to wait (`limits.retryAfterSeconds`).
          schema:
            type: integer
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Unavailable:
      description: "`database-error` or `queue-error`."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    InternalError:
      description: "`fonts-error`, `output-error`, `internal-error`, `bad-configuration`."
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"

  schemas:
    Problem:
      type: object
      description: An error (RFC 9457).
      required: [type, title, status, code, detail]
      additionalProperties: false
      properties:
        type:
          type: string
          description: "`https://folio.invalid/problems/CODE`"
        title:
          type: string
        status:
          type: integer
          description: The HTTP status.
        code:
          $ref: "#/components/schemas/ProblemCode"
        detail:
          type: string
          description: What went wrong, in words.
        location:
          $ref: "#/components/schemas/SourceLocation"
    ProblemCode:
      type: string
      enum:
        - bad-request
        - unauthorized
        - not-found
        - body-too-large
        - unsupported-media-type
        - busy
        - disabled
        - bad-configuration
        - stylesheet-error
        - data-error
        - definition-error
        - package-error
        - database-error
        - limit-exceeded
        - security-error
        - report-not-found
        - document-error
        - fonts-error
        - output-error
        - job-not-finished
        - job-failed
        - queue-error
        - internal-error
    SourceLocation:
      type: object
      description: The place in a stylesheet, data file or RML document the problem was found.
      required: [file, line, column]
      additionalProperties: false
      properties:
        file:
          type: string
          description: A file of the package, or `posted RML`, `posted data`, `posted stylesheet`…
        line:
          type: integer
        column:
          type: integer
    Format:
      type: string
      enum: [pdf, rml, raw]
    Parameters:
      type: object
      description: Stylesheet parameters (a wizard's form), given to the stylesheet as strings.
      additionalProperties:
        type: [string, number, boolean]
    Data:
      description: XML or JSON text, or a JSON object or array (mapped to XML as `JSONToXML` documents).
      oneOf:
        - type: string
        - type: object
        - type: array
    ReportRenderRequest:
      type: object
      description: Give `ids` or `data`, not both; neither renders the package's sample data.
      properties:
        ids:
          type: array
          minItems: 1
          items:
            type: integer
        data:
          $ref: "#/components/schemas/Data"
        parameters:
          $ref: "#/components/schemas/Parameters"
        language:
          type: string
          description: Translates the stylesheet's text marked `t="1"` with the package's catalogue.
        format:
          $ref: "#/components/schemas/Format"
    RMLRenderRequest:
      type: object
      required: [rml]
      properties:
        rml:
          type: string
        format:
          type: string
          enum: [pdf, rml]
    TransformRequest:
      type: object
      required: [stylesheet, data]
      properties:
        stylesheet:
          type: string
          description: XSL:RML stylesheet text.
        data:
          $ref: "#/components/schemas/Data"
        parameters:
          $ref: "#/components/schemas/Parameters"
        format:
          $ref: "#/components/schemas/Format"
    JobRequest:
      type: object
      required: [report]
      description: |
        No `batch`: one render (of all `ids`, of `data`, or of the sample). With `batch`: one
        render per id or per entry of `records`, delivered as one PDF (`merged`) or one PDF per
        record in a ZIP archive (`zip`). At most `jobs.maxRecords` records.
      properties:
        report:
          type: string
        ids:
          type: array
          minItems: 1
          items:
            type: integer
        records:
          type: array
          minItems: 1
          items:
            $ref: "#/components/schemas/Data"
        data:
          $ref: "#/components/schemas/Data"
        parameters:
          $ref: "#/components/schemas/Parameters"
        language:
          type: string
        batch:
          type: string
          enum: [merged, zip]
        webhook:
          type: string
          format: uri
          description: |
            Called with `POST` and the final status as JSON, retried with a doubling delay until a
            2xx answer; its host must be in `webhooks.allowedHosts`.
    JobState:
      type: string
      enum: [queued, running, succeeded, failed, cancelled]
    JobStatus:
      type: object
      required: [id, state, report, items, itemsDone, pagesDone, errors, created, updated]
      additionalProperties: false
      properties:
        id:
          type: string
        state:
          $ref: "#/components/schemas/JobState"
        report:
          type: string
        items:
          type: integer
          description: Renders the job consists of (1 unless a batch).
        itemsDone:
          type: integer
        pagesDone:
          type: integer
        errors:
          type: array
          description: Records that failed; the batch went on without them.
          items:
            $ref: "#/components/schemas/ItemError"
        failure:
          type: string
          description: Why the whole job failed (state `failed`).
        resultType:
          type: string
          enum: [application/pdf, application/zip]
          description: The result's media type, once succeeded.
        created:
          type: string
          format: date-time
        updated:
          type: string
          format: date-time
    ItemError:
      type: object
      required: [item, code, message]
      additionalProperties: false
      properties:
        item:
          type: integer
          description: The record's index in the batch, from 0.
        id:
          type: integer
          description: The record's id, for batches by ids.
        code:
          $ref: "#/components/schemas/ProblemCode"
        message:
          type: string
        location:
          type: string
          description: "`file:line:column`"
    ReportList:
      type: object
      required: [packages]
      additionalProperties: false
      properties:
        packages:
          type: array
          items:
            $ref: "#/components/schemas/Package"
    Package:
      type: object
      required: [name, version, summary, reports]
      additionalProperties: false
      properties:
        name:
          type: string
        version:
          type: string
        summary:
          type: string
        reports:
          type: array
          items:
            $ref: "#/components/schemas/Report"
    Report:
      type: object
      required: [name, kind]
      additionalProperties: false
      properties:
        name:
          type: string
        kind:
          type: string
          description: "`xsl`, `custom`, `coded`…"
        title:
          type: string
        model:
          type: string
    Health:
      type: object
      required: [status]
      additionalProperties: false
      properties:
        status:
          type: string
          enum: [ok]

"""##
}
