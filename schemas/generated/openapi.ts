// Generated from openapi.yaml by `npm run generate` — do not edit.
/* eslint-disable */
export interface paths {
    "/v1/exchanges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List exchanges the caller is a party to
         * @description Newest first. A participant sees exchanges it sent or receives; an administrator sees
         *     all. Filter by case thread (`correlationId`) and by delivery status; page with the
         *     opaque `cursor` from the previous page's `nextCursor`.
         */
        get: operations["listExchanges"];
        put?: never;
        /**
         * Submit an exchange
         * @description Validates the envelope and payload, checks that the sender may send this type and that
         *     every recipient accepts it, and durably accepts the exchange: one delivery per
         *     recipient is created in the same transaction. Submitting the same `messageId` again
         *     with the same body returns the first answer and creates nothing; with a different
         *     body it is refused with `409`.
         *
         *     The answer carries a signed `acceptanceReceipt` (proof of submission); the gateway's
         *     `seal` over the accepted envelope is on `GET /v1/exchanges/{id}`; see `docs/verify.md`. A participant whose
         *     registry entry has `requiresSignedSubmissions` must sign the body it sends
         *     (`Referral-Signature`); others may.
         */
        post: operations["submitExchange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exchanges/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Track one exchange
         * @description Envelope metadata and the status of each delivery. Readable by the sender, the
         *     recipients (each sees its own delivery only) and administrators; anyone else gets
         *     `404`, exactly as if the exchange did not exist. The payload is never returned here.
         */
        get: operations["getExchange"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exchanges/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel deliveries not yet delivered
         * @description The sender (or an operator) recalls an exchange. Every delivery still `accepted`,
         *     `queued` or `retrying` becomes `cancelled` and is never sent. A delivery in flight
         *     (`delivering`) or already delivered is left as it is: the answer shows which.
         */
        post: operations["cancelExchange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exchanges/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream status changes (server-sent events)
         * @description Every status change of the deliveries the caller may see, as `text/event-stream`.
         *     The stream starts with the history so far; each event's `id` is its sequence
         *     number, so a client reconnecting with `Last-Event-ID` receives only what it missed.
         *     Event name `status`, data a `StatusEvent`.
         */
        get: operations["streamExchangeEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deliveries waiting for the caller (pull mode)
         * @description For participants without a reachable endpoint. Oldest first. Returned deliveries
         *     become `delivered`; they are returned again until acknowledged, so a crash between
         *     fetching and storing loses nothing (deduplicate by `messageId`). With `wait`, an
         *     empty inbox holds the request open up to that many seconds for new deliveries.
         */
        get: operations["getInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{deliveryId}/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge a delivery fetched from the inbox
         * @description The recipient confirms it stored the envelope, with a receipt signed by its own
         *     certificate, exactly as for `POST /v1/receipts`; the receipt's `deliveryId` must be
         *     this one.
         */
        post: operations["acknowledgeInboxDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge a delivered envelope
         * @description The recipient (or its adapter) confirms it received and stored the envelope whose
         *     digest it names, with a receipt signed by the recipient's certificate. The gateway
         *     verifies the signature, the certificate's chain to the gateway CA, its validity and
         *     revocation, and that it names this delivery's recipient; the digest must be the
         *     accepted envelope's. The signed receipt is kept and shown to the sender.
         */
        post: operations["submitReceipt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/peer/exchanges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Relay a sealed envelope from a peer gateway abroad
         * @description For peer gateways only: their own gateway certificate, issued by their CA, which this
         *     gateway trusts explicitly for that peer. The envelope is taken as the peer sealed it
         *     (its `id` becomes this gateway's exchange id, nothing is added or removed, so digests
         *     match on both sides): the seal must verify against the peer's CA and be the peer
         *     gateway's, the sender must be a participant reached through that peer, and each local
         *     recipient must be covered by the envelope's stated legal basis (the peer checked the
         *     consent it names; this gateway records it as asserted by the peer). `recipient` names
         *     the local recipient the peer's `deliveryId` was for: once that recipient acknowledges,
         *     this gateway sends the peer a receipt it signs for that delivery
         *     (`POST /v1/peer/receipts` on the peer). A repeat (same sender and messageId) returns
         *     the first answer.
         */
        post: operations["relayExchange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/peer/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A peer gateway confirms delivery abroad
         * @description For peer gateways only. The receipt is signed by the peer gateway's seal certificate
         *     (issued by its CA, naming its gateway) and names this gateway's delivery to a
         *     participant reached through that peer; the digest must be the envelope's. The peer
         *     sends it once its own recipient acknowledged. Kept and shown to the sender like any
         *     receipt.
         */
        post: operations["relayReceipt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's webhooks */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Register a webhook for status changes of what the caller sent
         * @description The gateway POSTs a `StatusEvent` (no personal data) to `url` over mutual TLS with
         *     its own client certificate for every status change of exchanges the caller sent,
         *     with the same retries as deliveries.
         */
        post: operations["registerWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a webhook */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics about cases
         * @description Operator or auditor role. Figures that say something about the cases the mechanism
         *     handles — `rg_exemptions_invoked_total{exemption, invoked_by}` — are kept off the
         *     public `/metrics`: scrape this one with an administrator certificate.
         */
        get: operations["getCaseMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Failed deliveries with their last error
         * @description Operator role. Oldest first; discarded ones are not listed.
         */
        get: operations["listDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/dead-letters/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry every dead letter (optionally of one recipient) */
        post: operations["retryAllDeadLetters"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/dead-letters/{deliveryId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry one dead letter */
        post: operations["retryDeadLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/dead-letters/{deliveryId}/discard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Discard a dead letter with a reason */
        post: operations["discardDeadLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/exemption-reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Exemptions flagged because their justification says nothing
         * @description Auditor or consent-officer role. An exchange whose exemption is justified with text that says nothing ("aaaa…", "test test", too few words) is accepted, and the exemption is flagged here, in the acceptance's own statement. Open reviews come oldest first; closed ones newest first.
         */
        get: operations["listExemptionReviews"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/exemption-reviews/{reviewId}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Close a review as justified or not, with a note
         * @description Auditor role. Audited as `exemption.reviewed`. A review closes once (`409 GW_REVIEW_CLOSED`).
         */
        post: operations["closeExemptionReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The administrators' overview
         * @description Any administrator role. Counts only, no case data: deliveries per status; failed
         *     attempts in each of the last 24 hours; for every recipient its queue depth (deliveries
         *     waiting or in hand), deliveries retrying, dead letters, failed attempts in the last day
         *     and the last error code, with a delivery health (`failing` while deliveries to it wait
         *     for a retry or lie dead after failing today, `recovered` when attempts failed today but
         *     nothing is stuck, `ok` otherwise); certificates and consents whose validity ends within
         *     `expiringWithinDays`.
         */
        get: operations["getOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/legal-holds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Legal holds on case threads
         * @description Auditor or operator role. Newest first; `active=false` lists released ones.
         */
        get: operations["listLegalHolds"];
        put?: never;
        /**
         * Stop purging a case thread
         * @description Auditor role. While the hold is in force no payload of the case thread's exchanges is
         *     purged, however old (a court, prosecutor or inspectorate needs them). Audited
         *     (`legal-hold.placed`). `409 GW_LEGAL_HOLD_EXISTS` when one is in force already.
         */
        post: operations["placeLegalHold"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/legal-holds/{holdId}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Release a legal hold
         * @description Auditor role. Purging resumes at the next run for exchanges already due. Audited (`legal-hold.released`).
         */
        post: operations["releaseLegalHold"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/participants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The registry as administrators see it
         * @description Operator or auditor role. Each participant with where it came from (configuration or an administrator), its version, the last change and any suspension.
         */
        get: operations["listAdminParticipants"];
        put?: never;
        /**
         * Add a participant at run time
         * @description Operator role. Audited as `participant.added`. The participant can be addressed and, with a certificate issued to it, send from the next request on, in every gateway process within a second. It receives through its inbox (pull) until delivery settings name an adapter for it.
         */
        post: operations["addParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/participants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One participant as administrators see it
         * @description Operator or auditor role.
         */
        get: operations["getAdminParticipant"];
        /**
         * Change a participant's definition
         * @description Operator role. The whole definition (name, kind, country, accepts, sends, requiresSignedSubmissions) replaces the old one; the id cannot change. Audited as `participant.changed`; holds from the next request on.
         */
        put: operations["changeParticipant"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/participants/{id}/delivery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change how a participant receives
         * @description Operator role. Replaces the participant's delivery settings (adapter, endpoint, the adapter's settings, retry and expiry policy); `{ "mode": "pull" }` makes it fetch its inbox. Checked as at start-up; audited as `participant.delivery-changed`. The next delivery uses the new settings, in every worker process within a second; an attempt in flight finishes with the old ones.
         */
        put: operations["setParticipantDelivery"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/participants/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspend a participant
         * @description Operator role. From the next request on the participant can neither send nor be addressed (`GW_PARTICIPANT_SUSPENDED` for its certificates, at every door; `GW_RECIPIENT_SUSPENDED` for senders naming it), and deliveries to it wait — queued, not lost — until it is reinstated. A child case still goes to the child-protection participant if it is the one suspended: its copy waits. Audited as `participant.suspended`; suspending again changes nothing.
         */
        post: operations["suspendParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/participants/{id}/reinstate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reinstate a suspended participant
         * @description Operator role. Deliveries that waited resume. Audited as `participant.reinstated`; reinstating a participant that is not suspended changes nothing.
         */
        post: operations["reinstateParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/referrals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Referrals and their business state
         * @description One item per referral and recipient (a FHIR Task): its state derived from the case
         *     thread's messages (`requested → received → accepted | declined → in-progress →
         *     completed`, or `cancelled`, `expired`; docs/coordination.md). A participant sees the
         *     referrals it sent or was sent; a coordinator participant sees all. Oldest first;
         *     `next` is the cursor of the following page. `state=declined` lists what may need
         *     re-referral. The state follows acceptance by a second or two (the projection runs
         *     after the audit log's chaining).
         */
        get: operations["listReferrals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your alerts
         * @description The alerts addressed to the caller's participant, newest first: a deadline clock of a
         *     case thread fired (docs/coordination.md#clocks). Each holds ids, times and a link,
         *     never personal data. `open=true` (the default) lists those not yet acknowledged.
         */
        get: operations["listAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{alertId}/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge an alert
         * @description Marks the caller's alert as seen and taken up (who and when are kept). `409
         *     GW_ALERT_ACKNOWLEDGED` when it was already. Acknowledging does not stop the clock's
         *     case from needing the message that satisfies it.
         */
        post: operations["acknowledgeAlert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/{correlationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A case thread's view
         * @description For the thread's parties (a participant that sent or received any of its messages) and
         *     coordinator participants: the messages (metadata), who holds the case, every
         *     referral's state with its timeline, the latest update per agency, and each NRM
         *     measure's latest status **from the copies the caller holds** (what it sent and what
         *     was delivered to it, minimised as delivered): the view never shows more than the
         *     caller's legal basis gave it. `404 GW_CASE_UNKNOWN` for anyone else.
         */
        get: operations["getCaseThread"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statistics/{year}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The national indicators of a year
         * @description The year's release: every indicator (docs/statistics.md has the definitions) by year,
         *     quarter and month, nationally and per agency, by form of exploitation, citizenship,
         *     sex and age band (referrals by measure and outcome; cross-border transfers by partner
         *     country). Every cell counts **distinct persons** (pseudonyms, links resolved); a cell
         *     below `k` persons (11, never fewer) is suppressed (`persons: null`), with secondary
         *     suppression so that no suppressed cell can be worked out from totals, other periods
         *     or other agencies. Cells of zero persons are left out.
         *
         *     Periods are Sofia-time months, quarters and the year. A release is as of the first day
         *     of the current month (00:00 Sofia time), and from 1 April after the year it is final
         *     (as of that day). It is computed the first time it is asked for,
         *     stored, recorded in the audit log (`statistics.released`, with its digest) and served
         *     as stored from then on: the same question gets the same answer. Every answer is
         *     audited (`statistics.exported`). Administrators with the `statistician` role get the
         *     whole release; a participant gets its own agency's cells of the same release. The
         *     `Release-Digest` header (and `digest`) names the whole stored release.
         *     `404 GW_STATISTICS_NO_PERIOD` before a month of the year has ended;
         *     `503 GW_STATISTICS_NOT_READY` (with `Retry-After`) while the case projection has not
         *     yet read everything before the release's instant.
         */
        get: operations["getStatistics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log's signed checkpoints
         * @description Any authenticated caller. Newest first. Each checkpoint is the size and RFC 9162 root
         *     hash of the audit log's Merkle tree at a moment, signed by the gateway's seal key
         *     (compact JWS, payload the RFC 8785 JSON of `{gateway, treeSize, rootHash, issuedAt}`).
         *     A new one is signed every `audit.checkpointIntervalMs` when the log grew. Keep the
         *     ones you are given: a consistency proof from one you hold shows that nothing logged
         *     before it was changed since (docs/verify.md).
         */
        get: operations["listAuditCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Proof that a later checkpoint extends an earlier one
         * @description Any authenticated caller. The RFC 9162 consistency proof from the checkpoint of
         *     `from` entries to that of `to` entries (default: the latest).
         */
        get: operations["getAuditConsistency"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the audit log
         * @description Auditor role: any filter. A participant system may list the entries of an exchange
         *     it sent (all of them) or received (those about its own delivery or made by it) with
         *     `exchangeId`. Oldest first; each entry once chained with its position and its
         *     inclusion proof against the latest checkpoint. `participant` finds entries made by
         *     that participant's systems, naming it, or about exchanges it sent or received.
         */
        get: operations["searchAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/entries/{seq}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One audit entry with its proof
         * @description Auditor role, or a participant system the entry concerns (as for the search).
         */
        get: operations["getAuditEntry"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/entries/{seq}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Proof that an entry is in the log
         * @description Auditor role, or a participant system the entry concerns. The RFC 9162 inclusion
         *     proof of the entry against the checkpoint of `checkpoint` entries (default: the
         *     latest). `409 GW_AUDIT_NOT_YET_LOGGED` (retry after `Retry-After`) while the entry
         *     waits to be chained or for the next checkpoint.
         */
        get: operations["getAuditInclusionProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/subject-access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The subject access report for one person (GDPR Art. 15)
         * @description Consent-officer or auditor role. For the person the pseudonym names (and any pseudonym
         *     linked to it): every delivery of an exchange about them - when it was accepted, from
         *     whom, to whom, whether and when the recipient's system got it, which data categories
         *     its copy carried and which were withheld, and the legal basis - and their consents.
         *     No payload. Still complete after the payloads are purged. Producing it is audited
         *     (`subject-access.reported`, without the pseudonym). Get the pseudonym from the
         *     person's identity with `POST /v1/pseudonyms`.
         */
        get: operations["getSubjectAccessReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/evidence/{exchangeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An exchange's evidence bundle, signed, for verifying offline
         * @description Auditor role. One JSON document with the tracking view, the envelope while it is kept
         *     (and each recipient's minimised copy with its own seal), the seal, the acceptance
         *     receipt, the recipients' receipts, the exchange's audit entries with their inclusion
         *     proofs, the checkpoint they lead to, and the CA and CRL. The header
         *     `Referral-Evidence-Signature` is the gateway's detached JWS (seal key) over the body's
         *     exact bytes: save both. docs/verify.md checks everything with openssl and a page of
         *     Python. Exporting is audited (`evidence.exported`). `409 GW_AUDIT_NOT_YET_LOGGED`
         *     until the exchange's latest entry is under a signed checkpoint.
         */
        get: operations["getEvidenceBundle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log in tree order, for verification
         * @description Auditor role. Every chained entry from `start` (a position in the tree), with its
         *     stored leaf and chain hashes; `entry` is missing when the row is gone from the store.
         *     `npm run rg -- audit verify` reads the whole log this way and checks it against every
         *     checkpoint.
         */
        get: operations["readAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the presented certificate says the caller is
         * @description The caller as the gateway reads it from the client certificate: an administrator with
         *     its roles, or a participant system (an adapter acting for one), and the certificate's
         *     serial and end of validity. The console builds its navigation from this answer; every
         *     route still checks the roles itself.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/participants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List participants */
        get: operations["listParticipants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/participants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One participant and what it accepts */
        get: operations["getParticipant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pseudonyms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute a subject's pseudonym
         * @description The keyed hash the gateway uses for the subject: the same person gives the same
         *     pseudonym whichever agency asks and whether the name is written in Cyrillic or Latin
         *     (normalisation rule in `docs/privacy.md`). Needs the given name, the family name and
         *     the date of birth. The identity is used for the computation only: not stored, not logged.
         */
        post: operations["computePseudonym"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pseudonyms/{pseudonym}/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Link a gateway-issued pseudonym to the identity now established
         * @description Consent-officer role. A subject without documents got a pseudonym the gateway issued
         *     (`subjectPseudonym` in the acceptance). Once the identity is established, the officer
         *     links that pseudonym to the one computed from the identity: from then on both name
         *     one subject — a consent recorded under either covers exchanges about the other, and
         *     `GET /v1/consents?subject=` finds consents under both. A link is made once (repeating
         *     the same link answers it again); it is audited as `pseudonym.linked`. The identity is
         *     used for the computation only.
         */
        post: operations["linkPseudonym"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Consents of a subject
         * @description Newest first. Consent officers and auditors see all; a participant sees those it
         *     recorded and those whose scope names it or its kind.
         */
        get: operations["listConsents"];
        put?: never;
        /**
         * Record a consent
         * @description Records who gave consent (the person, a guardian or a legal representative), for
         *     which recipients or participant kinds, purposes and data categories, for how long,
         *     and the evidence (digest of the signed form, language, interpreter). The subject is
         *     named by pseudonym, or by identity from which the gateway computes it. Records are
         *     never deleted, only withdrawn or expired; every change is audited. The answer
         *     includes a consent receipt for the person, signed by the gateway.
         */
        post: operations["recordConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/withdraw-by-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw a consent with the code on its receipt
         * @description The person withdraws through any consent officer or any NGO participant, not only the
         *     agency that recorded the consent: with the withdrawal code printed on the consent
         *     receipt (16 letters and digits in four groups; case, spaces and hyphens do not matter,
         *     O reads as 0, I and L as 1). The answer names the consent by id only: the code holder
         *     learns nothing about the person. Audited as `consent.withdrawn` with `via:
         *     withdrawal-code`; tries count against the hourly allowance of `POST /v1/pseudonyms`.
         *     Withdrawing twice keeps the first time and reason (`alreadyWithdrawn`).
         */
        post: operations["withdrawConsentByCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{consentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One consent */
        get: operations["getConsent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{consentId}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw a consent
         * @description As easy as giving it: a consent officer, or the participant that recorded the
         *     consent, withdraws it with a reason. Withdrawing twice keeps the first time and reason.
         */
        post: operations["withdrawConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{consentId}/withdrawal-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new withdrawal code for a receipt printed again
         * @description The gateway keeps only a hash of a withdrawal code, so a receipt printed again needs a
         *     new one; the old code stops working. For whoever may withdraw the consent (a consent
         *     officer, or the participant that recorded it); audited as
         *     `consent.withdrawal-code-issued`. A withdrawn consent gets none (`409 GW_CONSENT_WITHDRAWN`).
         */
        post: operations["newWithdrawalCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/certificates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List issued certificates
         * @description Newest first. Certificate officers and auditors see all; a participant sees its own.
         *     `expiringWithinDays` lists only valid certificates whose validity ends within that
         *     many days (the expiry warning list).
         */
        get: operations["listCertificates"];
        put?: never;
        /**
         * Issue a certificate from a CSR
         * @description A PKCS#10 request (PEM, RSA 2048-8192 bits) in, a certificate out. The gateway, not the
         *     CSR, decides names and usages: the certificate names the subject in subjectAltName
         *     URIs, is for TLS client authentication and signing, and is valid for the policy's
         *     period for its kind. Certificate officers issue for any registered participant,
         *     adapter or administrator; a participant system may renew its own participant
         *     certificate. With `replaces`, the older certificate stays valid for the rotation
         *     overlap and is then revoked as `superseded`.
         */
        post: operations["issueCertificate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/certificates/{serial}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One issued certificate */
        get: operations["getCertificate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/certificates/{serial}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a certificate
         * @description Effective on the very next request to this gateway process (mutual TLS and signature
         *     checks consult the revocation list, not the CRL), in other processes within
         *     `trust.revocationRefreshMs`, and in the next CRL. Certificate officers revoke any
         *     certificate; a participant system may revoke its own. Revoking twice keeps the first
         *     time and reason.
         */
        post: operations["revokeCertificate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ca": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The gateway CA certificate
         * @description DER (`application/pkix-cert`, RFC 2585) by default; PEM with `?format=pem` or
         *     `Accept: application/x-pem-file`. Served without a client certificate: relying
         *     parties and auditors need it to verify seals and receipts.
         */
        get: operations["getCaCertificate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/crl": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The certificate revocation list
         * @description A v2 CRL signed by the gateway CA, DER (`application/pkix-crl`) by default, PEM with
         *     `?format=pem`. It verifies with `openssl crl -verify` and makes
         *     `openssl verify -crl_check` reject revoked certificates. Served without a client
         *     certificate.
         */
        get: operations["getCrl"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Operational figures only: `rg_certificates_expiring` (valid certificates within the
         *     expiry warning period), `rg_certificate_expiry_timestamp_seconds` per expiring
         *     certificate, `rg_inbox_polls_waiting` per recipient. Carries no personal data and
         *     nothing about cases (those are at `/v1/admin/metrics`); restrict it to the
         *     monitoring network.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This contract */
        get: operations["getContract"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The administrators' web console
         * @description The web console (Bulgarian first, English second), for administrators signing in with
         *     their client certificate in the browser; a participant's certificate sees only what a
         *     participant may do there. Behind the same certificate check as `/v1`; its files load
         *     nothing from elsewhere (Content-Security-Policy), cannot be framed, and talk to `/v1`
         *     only. See docs/console.md.
         */
        get: operations["getConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description The process is up and serving HTTP. Does not check dependencies.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description The gateway can accept exchanges: its store answers. In a process that runs queues,
         *     `checks.queues` says whether Redis answers; a Redis outage does not make the API
         *     unready, because accepted deliveries wait in the store's outbox.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    deliveryStatusChanged: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sent to a registered webhook when a delivery of the participant's exchange changes status
         * @description POSTed over mutual TLS with the gateway's client certificate. Answer 2xx once stored;
         *     other answers are retried with backoff (408, 429 and 5xx) or dropped (other 4xx).
         *     The same event may arrive more than once: deduplicate by `eventId`.
         */
        post: operations["deliveryStatusChanged"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    alertRaised: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sent to a participant's registered webhooks when a deadline clock raises an alert for it
         * @description The same webhooks as status events, told apart by `alertId` (and the header
         *     `Referral-Event-Id: alert-<alertId>`). Ids, times and a link only, never personal
         *     data (docs/coordination.md#alerts). Retried like status events; deduplicate by `alertId`.
         */
        post: operations["alertRaised"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description RFC 9457 problem details with the gateway's stable error code. */
        Problem: {
            /** Format: uri */
            type: string;
            title: string;
            status: number;
            detail?: string;
            /** @description Identifies this request; the same id is in the gateway's log line. */
            instance: string;
            code: components["schemas"]["ErrorCode"];
            /** @description Whether repeating the same request later may succeed. */
            retryable?: boolean;
            violations?: components["schemas"]["Violation"][];
        };
        Violation: {
            /** @description JSON pointer (RFC 6901) into the request document, or `#/query/<name>` for query parameters. */
            pointer: string;
            message: string;
            /** @description The JSON Schema keyword that failed. */
            keyword?: string;
        };
        /**
         * @description Stable error codes. The registry in `gateway/errors.ts` gives each its status and category.
         * @enum {string}
         */
        ErrorCode: "GW_VALIDATION_FAILED" | "GW_MALFORMED_JSON" | "GW_UNSUPPORTED_MEDIA_TYPE" | "GW_PAYLOAD_TOO_LARGE" | "GW_ROUTE_NOT_FOUND" | "GW_METHOD_NOT_ALLOWED" | "GW_CLIENT_CERT_MISSING" | "GW_CLIENT_CERT_UNTRUSTED" | "GW_CLIENT_CERT_EXPIRED" | "GW_CLIENT_CERT_NOT_YET_VALID" | "GW_CLIENT_CERT_UNKNOWN_PARTICIPANT" | "GW_CLIENT_CERT_REVOKED" | "GW_PARTICIPANT_SUSPENDED" | "GW_PARTICIPANT_EXISTS" | "GW_CLIENT_CERT_WRONG_USAGE" | "GW_SIGNATURE_REQUIRED" | "GW_SIGNATURE_INVALID" | "GW_SIGNER_CERT_UNTRUSTED" | "GW_SIGNER_CERT_EXPIRED" | "GW_SIGNER_CERT_NOT_YET_VALID" | "GW_SIGNER_CERT_REVOKED" | "GW_SIGNER_CERT_WRONG_USAGE" | "GW_SIGNER_MISMATCH" | "GW_CSR_INVALID" | "GW_CERTIFICATE_NOT_FOUND" | "GW_RENEWAL_REFUSED" | "GW_CROSS_SITE_REQUEST" | "GW_TOO_MANY_HELD" | "GW_RATE_LIMITED" | "GW_WEBHOOK_LIMIT" | "GW_IDENTITY_INSUFFICIENT" | "GW_PSEUDONYM_NOT_ISSUED" | "GW_PSEUDONYM_LINKED_ELSEWHERE" | "GW_PSEUDONYM_MISMATCH" | "GW_EXEMPTION_NOT_ALLOWED" | "GW_LEGAL_BASIS_MISSING" | "GW_CONSENT_NOT_COVERING" | "GW_LEGAL_BASIS_INSUFFICIENT" | "GW_CONSENT_NOT_FOUND" | "GW_CONSENT_WITHDRAWN" | "GW_WITHDRAWAL_CODE_UNKNOWN" | "GW_AUDIT_ENTRY_UNKNOWN" | "GW_AUDIT_CHECKPOINT_UNKNOWN" | "GW_AUDIT_NOT_YET_LOGGED" | "GW_AUDIT_ENTRY_NOT_IN_CHECKPOINT" | "GW_LEGAL_HOLD_EXISTS" | "GW_LEGAL_HOLD_NOT_FOUND" | "GW_LEGAL_HOLD_RELEASED" | "GW_CASE_UNKNOWN" | "GW_ALERT_NOT_FOUND" | "GW_ALERT_ACKNOWLEDGED" | "GW_STATISTICS_NO_PERIOD" | "GW_STATISTICS_NOT_READY" | "GW_SENDER_MISMATCH" | "GW_SENDER_MAY_NOT_SEND_TYPE" | "GW_RECIPIENT_SUSPENDED" | "GW_UNKNOWN_RECIPIENT" | "GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE" | "GW_SENDER_IS_RECIPIENT" | "GW_IN_REPLY_TO_UNKNOWN" | "GW_IDEMPOTENCY_CONFLICT" | "GW_EXCHANGE_NOT_FOUND" | "GW_PARTICIPANT_NOT_FOUND" | "GW_INVALID_CURSOR" | "GW_DELIVERY_NOT_FOUND" | "GW_DELIVERY_NOT_DELIVERED" | "GW_DELIVERY_NOT_PULL" | "GW_RECEIPT_DIGEST_MISMATCH" | "GW_WEBHOOK_NOT_FOUND" | "GW_REVIEW_NOT_FOUND" | "GW_REVIEW_CLOSED" | "GW_ROLE_REQUIRED" | "GW_PEER_ROUTES_ONLY" | "GW_PEER_NOT_AUTHORISED" | "GW_STORE_UNAVAILABLE" | "GW_NOT_READY" | "GW_INTERNAL";
        HealthStatus: {
            /** @enum {string} */
            status: "ok" | "ready";
            checks?: {
                [key: string]: "ok" | "failing";
            };
        };
        /**
         * @description ISO 3166-1 alpha-2 country code, then the agency (e.g. `BG-MOI`, `BG-NGO-ANIMUS`, `HU-NBI`).
         * @example BG-MOI
         */
        ParticipantId: string;
        /**
         * @description The participant's role in the referral mechanism.
         * @enum {string}
         */
        ParticipantKind: "law-enforcement" | "child-protection" | "social-assistance" | "coordinator" | "ngo" | "foreign-partner";
        Participant: {
            id: components["schemas"]["ParticipantId"];
            name: string;
            kind: components["schemas"]["ParticipantKind"];
            country: components["schemas"]["CountryCode"];
            /** @description Message types this participant receives, with the schema versions its system handles. */
            accepts: components["schemas"]["AcceptedType"][];
            /** @description Message types this participant may send. */
            sends: components["schemas"]["MessageType"][];
            /** @description Its submissions must carry `Referral-Signature`, verified before acceptance. */
            requiresSignedSubmissions?: boolean;
            /** @description Set while an operator has suspended the participant: it can neither send nor be addressed (`GW_PARTICIPANT_SUSPENDED`, `GW_RECIPIENT_SUSPENDED`), and deliveries to it wait until it is reinstated. Not part of a definition an administrator sends. */
            readonly suspended?: boolean;
        };
        /** @description A participant as administrators see it. */
        ParticipantRecord: {
            participant: components["schemas"]["Participant"];
            delivery?: components["schemas"]["DeliverySettings"];
            /**
             * @description Seeded from the configuration file, or added by an administrator. The store is the registry either way; the configuration only adds participants it lacks.
             * @enum {string}
             */
            origin: "configuration" | "administrator";
            /** @description Grows with every change of this participant. */
            version: string;
            /** Format: date-time */
            changedAt: string;
            changedBy: string;
            suspension?: {
                /** Format: date-time */
                at: string;
                by: string;
                reason: string;
            };
        };
        /** @description How a participant receives: `pull` (it fetches its inbox; the default for a participant without settings), or `push` by an adapter to its `endpoint`, with the adapter's own `settings` (checked against the adapter's schema, defaults filled in, with the same errors the start-up check gives) and the participant's own retry and expiry policy over the gateway's defaults. */
        DeliverySettings: {
            /** @enum {string} */
            mode: "push" | "pull";
            /** @description A registered adapter (`https-json` when absent). */
            adapter?: string;
            endpoint?: string;
            /** @description The adapter's own settings. */
            settings?: {
                [key: string]: unknown;
            };
            attempts?: number;
            backoffMs?: number;
            maxBackoffMs?: number;
            ttlSeconds?: number;
            timeoutMs?: number;
            concurrency?: number;
        };
        ParticipantStatusChange: {
            /** @description Why; recorded in the audit log. Must not contain personal data. */
            reason: string;
        };
        AcceptedType: {
            type: components["schemas"]["MessageType"];
            schemaVersions: components["schemas"]["SchemaVersion"][];
        };
        /**
         * @description `accepted → queued → delivering → delivered → acknowledged`, with `retrying` between
         *     attempts; terminal `failed`, `withheld`, `expired`, `cancelled`.
         * @enum {string}
         */
        DeliveryStatus: "accepted" | "queued" | "delivering" | "retrying" | "delivered" | "acknowledged" | "failed" | "withheld" | "expired" | "cancelled";
        Delivery: {
            /** Format: uuid */
            id: string;
            recipient: components["schemas"]["ParticipantId"];
            status: components["schemas"]["DeliveryStatus"];
            /** Format: date-time */
            statusChangedAt: string;
            /** @description Every status the delivery has passed through, oldest first. */
            history?: components["schemas"]["StatusChange"][];
            /** @description Every attempt to hand the envelope to the recipient, oldest first. */
            attempts?: components["schemas"]["Attempt"][];
            /** @description The recipient's signed receipt (compact JWS) that acknowledged the delivery; proof of delivery. */
            receipt?: components["schemas"]["Jws"];
            /**
             * @description Categories of personal data present in the message that this recipient's legal
             *     basis does not cover: removed from its copy, which has its own digest and seal.
             */
            withheldCategories?: components["schemas"]["DataCategory"][];
            /**
             * @description For a referral, its business state for this recipient (GET /v1/referrals and the
             *     case thread have its timeline); absent for other types, and for a second or two
             *     after acceptance.
             */
            referralState?: components["schemas"]["ReferralState"];
        };
        StatusChange: {
            status: components["schemas"]["DeliveryStatus"];
            /** Format: date-time */
            at: string;
        };
        /** @description The gateway's answer to an accepted submission. */
        Acceptance: {
            /**
             * Format: uuid
             * @description The exchange id assigned by the gateway.
             */
            id: string;
            messageId: components["schemas"]["MessageId"];
            /** @constant */
            status: "accepted";
            /** Format: date-time */
            acceptedAt: string;
            /** Format: uri */
            trackingUrl: string;
            /** @description `sha256:` and the lowercase hex SHA-256 of the RFC 8785 canonical JSON of the accepted envelope. */
            envelopeDigest: string;
            /** @description Proof of submission, signed by the gateway; its payload is an `AcceptanceStatement`. */
            acceptanceReceipt: components["schemas"]["Jws"];
            /** @description Present when the subject's identity could not give a pseudonym (no date of birth, no documents) and the gateway issued one: put it in `subject.pseudonym` of later messages about this person, so the case thread stays linked. */
            subjectPseudonym?: components["schemas"]["Pseudonym"];
            deliveries: components["schemas"]["Delivery"][];
        };
        /** @description Tracking view of an exchange. Carries no payload. */
        Exchange: {
            /** Format: uuid */
            id: string;
            messageId: components["schemas"]["MessageId"];
            type: components["schemas"]["MessageType"];
            schemaVersion: components["schemas"]["SchemaVersion"];
            sender: components["schemas"]["ParticipantId"];
            recipients: components["schemas"]["ParticipantId"][];
            correlationId: components["schemas"]["CorrelationId"];
            inReplyTo?: components["schemas"]["MessageId"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            acceptedAt: string;
            envelopeDigest: string;
            seal?: components["schemas"]["DetachedJws"];
            /** @description The sender's own signature over the canonical JSON of what it submitted (without `id`), when it signed. */
            senderSignature?: components["schemas"]["DetachedJws"];
            /**
             * Format: date-time
             * @description When the payload was purged under the retention policy (docs/audit.md); the history, digests, seal and receipts remain.
             */
            purgedAt?: string;
            /** @description All deliveries for the sender and administrators; only its own for a recipient. */
            deliveries: components["schemas"]["Delivery"][];
        };
        ExchangePage: {
            items: components["schemas"]["Exchange"][];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            nextCursor?: string;
        };
        CancelRequest: {
            /** @description Why; recorded in the audit log. Must not contain personal data. */
            reason?: string;
        };
        WebhookRegistration: {
            /** Format: uri */
            url: string;
        };
        RetryAllRequest: {
            recipient?: components["schemas"]["ParticipantId"];
        };
        /** @description An exemption flagged for review, and the verdict once closed. Ids and operators' notes; the justification is what is judged. */
        ExemptionReview: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            exchangeId: string;
            sender: components["schemas"]["ParticipantId"];
            /** @enum {string} */
            exemption: "child-protection" | "vital-interest" | "criminal-proceedings" | "legal-obligation";
            justification: string;
            /** @description Why the text looks empty: `repeated-characters`, `too-few-words` (fewer than three different words of three letters or more), `placeholder` (lorem ipsum, asdf, test…). */
            concerns: ("repeated-characters" | "too-few-words" | "placeholder")[];
            /** Format: date-time */
            flaggedAt: string;
            /** Format: date-time */
            closedAt?: string;
            closedBy?: string;
            /** @enum {string} */
            outcome?: "justified" | "not-justified";
            note?: string;
        };
        ExemptionReviewVerdict: {
            /** @enum {string} */
            outcome: "justified" | "not-justified";
            /** @description The reviewer's reasons; recorded in the audit log. Must not contain personal data. */
            note: string;
        };
        DiscardRequest: {
            /** @description Why the delivery is given up; recorded in the audit log. Must not contain personal data. */
            reason: string;
        };
        /** @description One status change of one delivery. Carries no personal data. */
        StatusEvent: {
            eventId: string;
            /** Format: uuid */
            exchangeId: string;
            messageId: components["schemas"]["MessageId"];
            /** Format: uuid */
            deliveryId: string;
            recipient: components["schemas"]["ParticipantId"];
            status: components["schemas"]["DeliveryStatus"];
            /** Format: date-time */
            at: string;
        };
        /** @description A peer gateway's delivery of one sealed envelope to a recipient reached through this gateway. */
        PeerSubmission: {
            envelope: components["schemas"]["Envelope"];
            /** @description The peer gateway's detached JWS over the RFC 8785 canonical JSON of `envelope`. */
            seal: components["schemas"]["DetachedJws"];
            /**
             * Format: uuid
             * @description The peer's delivery this hand-over is for; the receipt sent back names it.
             */
            deliveryId: string;
            recipient: components["schemas"]["ParticipantId"];
        };
        SignedReceipt: {
            /**
             * @description Compact JWS (RS256, payload attached) signed with the recipient's certificate;
             *     `x5c` holds that certificate (and optionally the CA), `sigT` the signing time. The
             *     payload is a `Receipt` document.
             */
            receipt: components["schemas"]["Jws"];
        };
        /**
         * @description A JWS in compact serialisation (RFC 7515 §7.1): `header.payload.signature`, each
         *     base64url. The gateway signs with its Ed25519 seal key (`alg: EdDSA`, RFC 8037);
         *     participants with their RSA keys (`RS256`). `alg` is always the one the `x5c`
         *     certificate's key takes.
         */
        Jws: string;
        /**
         * @description A JWS in compact serialisation with a detached payload (RFC 7515 Appendix F):
         *     `header..signature`. The payload is the RFC 8785 canonical JSON of the document it
         *     signs; base64url-encode it into the middle to verify with any JWS library. The
         *     gateway's are `EdDSA` (its Ed25519 seal key), participants' `RS256`.
         */
        DetachedJws: string;
        /** @description The payload of an acceptance receipt. */
        AcceptanceStatement: {
            /** @constant */
            statement: "accepted";
            /** Format: uuid */
            exchangeId: string;
            messageId: components["schemas"]["MessageId"];
            sender: components["schemas"]["ParticipantId"];
            recipients: components["schemas"]["ParticipantId"][];
            envelopeDigest: string;
            /** Format: date-time */
            acceptedAt: string;
        };
        PseudonymRequest: {
            identity: components["schemas"]["Identity"];
        };
        PseudonymLink: {
            issued: components["schemas"]["Pseudonym"];
            pseudonym: components["schemas"]["Pseudonym"];
            /** Format: date-time */
            linkedAt: string;
            linkedBy: string;
        };
        PseudonymAnswer: {
            pseudonym: components["schemas"]["Pseudonym"];
        };
        /**
         * @description What an exchange is for; a consent names the purposes it allows.
         * @enum {string}
         */
        Purpose: "protection-and-assistance" | "reintegration" | "safe-return" | "criminal-proceedings" | "compensation" | "coordination" | "statistics";
        /**
         * @description The categories of personal data that `x-data-category` marks.
         * @enum {string}
         */
        DataCategory: "identity" | "contact" | "location" | "health" | "exploitation" | "needs-and-services" | "legal-proceedings" | "family";
        /** @description Recipients (by id, or every participant of a kind; at least one of the two) × purposes × data categories. */
        ConsentScope: {
            recipients?: components["schemas"]["ParticipantId"][];
            participantKinds?: components["schemas"]["ParticipantKind"][];
            purposes: components["schemas"]["Purpose"][];
            categories: components["schemas"]["DataCategory"][];
        };
        /** @description Who gave the consent. No names - the role is enough, the signed form holds the rest. */
        ConsentGiver: {
            /** @enum {string} */
            kind: "self" | "guardian" | "legal-representative";
            /** @description For a guardian or representative acting for an institution. */
            organisation?: string;
        };
        ConsentEvidence: {
            /**
             * Format: date
             * @description The day the person signed the consent form: the evidence's own date, kept apart from `validFrom`. It cannot be after today, nor after the day `validFrom` falls on; a form signed long ago may be recorded, but `validFrom` may lie at most 30 days before the recording (a paper form entered late).
             */
            signedOn: string;
            /** @description `sha256:` and the hex SHA-256 of the signed consent form (kept by the recording agency). */
            formDigest: string;
            language: components["schemas"]["LanguageCode"];
            /** @description Whether an interpreter was present when consent was given. */
            interpreter: boolean;
        };
        ConsentRequest: {
            /** @description The pseudonym, or the identity the gateway computes it from (not stored). */
            subject: {
                pseudonym?: components["schemas"]["Pseudonym"];
                identity?: components["schemas"]["Identity"];
            } & (unknown | unknown);
            givenBy: components["schemas"]["ConsentGiver"];
            scope: components["schemas"]["ConsentScope"][];
            /** Format: date-time */
            validFrom: string;
            /** Format: date-time */
            validUntil?: string;
            evidence: components["schemas"]["ConsentEvidence"];
        };
        ConsentWithdrawal: {
            /** @description Why; recorded and audited. Must not contain personal data. */
            reason: string;
        };
        /** @description What the person is given when consent is recorded; signed by the gateway (`receiptSignature`). */
        ConsentReceiptDocument: {
            /** @constant */
            receiptType: "consent";
            /** Format: uuid */
            consentId: string;
            subject: components["schemas"]["Pseudonym"];
            givenBy: components["schemas"]["ConsentGiver"];
            recordedBy: string;
            /** Format: date-time */
            recordedAt: string;
            scope: components["schemas"]["ConsentScope"][];
            /** Format: date-time */
            validFrom: string;
            /** Format: date-time */
            validUntil?: string;
            evidence: components["schemas"]["ConsentEvidence"];
            /** @description How the person withdraws consent (any time, through the recording agency or a consent officer). */
            withdrawHow: string;
        };
        Consent: {
            /** Format: uuid */
            id: string;
            subject: components["schemas"]["Pseudonym"];
            givenBy: components["schemas"]["ConsentGiver"];
            /** @description `participant:<id>` or `admin:<name>`. */
            recordedBy: string;
            /** Format: date-time */
            recordedAt: string;
            scope: components["schemas"]["ConsentScope"][];
            /** Format: date-time */
            validFrom: string;
            /** Format: date-time */
            validUntil?: string;
            evidence: components["schemas"]["ConsentEvidence"];
            /** @enum {string} */
            status: "active" | "not-yet-valid" | "expired" | "withdrawn";
            /** Format: date-time */
            withdrawnAt?: string;
            withdrawalReason?: string;
            receipt: components["schemas"]["ConsentReceiptDocument"];
            /** @description The gateway's JWS whose payload is the RFC 8785 canonical JSON of `receipt`. */
            receiptSignature: components["schemas"]["Jws"];
            /**
             * @description Only in the answer to recording the consent: the code to print on the person's
             *     receipt, with which any consent officer or NGO withdraws it. Not stored (only its
             *     hash); shown this once.
             */
            withdrawalCode?: components["schemas"]["WithdrawalCodeText"];
        };
        /** @example 7K2M-Q90D-3TRW-F21A */
        WithdrawalCodeText: string;
        WithdrawalCode: {
            /** Format: uuid */
            consentId: string;
            withdrawalCode: components["schemas"]["WithdrawalCodeText"];
        };
        WithdrawalByCode: {
            /** @description As printed on the receipt, or as the person reads it out. */
            code: string;
            /** @description Why; recorded and audited. Must not contain personal data. */
            reason: string;
        };
        ConsentWithdrawnByCode: {
            /** Format: uuid */
            consentId: string;
            /** @enum {string} */
            status: "withdrawn";
            /** Format: date-time */
            withdrawnAt: string;
            /** @description The consent had been withdrawn before; the first withdrawal stands. */
            alreadyWithdrawn: boolean;
        };
        Me: {
            /** @enum {string} */
            kind: "administrator" | "participant";
            /** @description The administrator's name, as its certificate says. */
            name?: string;
            /** @description The administrator's roles; empty for a participant. */
            roles: components["schemas"]["AdminRole"][];
            participant?: {
                id: components["schemas"]["ParticipantId"];
                name: string;
                kind: components["schemas"]["ParticipantKind"];
            };
            /** @description Set when an adapter acting for the participant presented the certificate. */
            adapter?: string;
            certificate: {
                serial: string;
                /** Format: date-time */
                validUntil: string;
            };
        };
        /**
         * @description What an audit entry records.
         * @enum {string}
         */
        AuditAction: "exchange.accepted" | "exchange.cancelled" | "delivery.delivered" | "delivery.acknowledged" | "delivery.failed" | "delivery.withheld" | "delivery.expired" | "dead-letter.retried" | "dead-letter.discarded" | "webhook.registered" | "webhook.removed" | "consent.recorded" | "consent.withdrawn" | "consent.withdrawal-code-issued" | "pseudonym.computed" | "pseudonym.linked" | "exemption.reviewed" | "certificate.issued" | "certificate.revoked" | "participant.added" | "participant.changed" | "participant.delivery-changed" | "participant.suspended" | "participant.reinstated" | "retention.purged" | "legal-hold.placed" | "legal-hold.released" | "subject-access.reported" | "evidence.exported" | "statistics.released" | "statistics.exported";
        /**
         * @description One audit entry. Its leaf in the Merkle tree is SHA-256(0x00 || the RFC 8785 JSON of
         *     exactly these six members). No personal data: ids, codes and reasons only.
         */
        AuditEntry: {
            /** @description The entry's number, in the order entries were written. */
            seq: number;
            /** @description RFC 3339 UTC to the microsecond, `2026-12-03T18:11:37.123456Z`. */
            at: string;
            /** @description Who did it - `participant:<id>`, `adapter:<name>@<id>`, `admin:<name>`, `peer:<gateway>`, `gateway`. */
            actor: string;
            /** @description One of AuditAction (a verifier must accept an action it does not know). */
            action: string;
            /** Format: uuid */
            exchangeId: string | null;
            details: {
                [key: string]: unknown;
            };
        };
        /** @description Base64 SHA-256 hashes of the proof (RFC 9162). */
        AuditProofPath: string[];
        AuditItem: {
            entry: components["schemas"]["AuditEntry"];
            /** @description The entry's leaf index in the tree; absent while it waits to be chained. */
            position?: number;
            /** @description The inclusion proof against the latest checkpoint (absent until a checkpoint covers the entry). */
            proof?: {
                /** Format: byte */
                leafHash: string;
                treeSize: number;
                path: components["schemas"]["AuditProofPath"];
            };
        };
        StatisticsRelease: {
            year: number;
            /**
             * Format: date-time
             * @description Only what the gateway accepted before this instant is counted.
             */
            asOf: string;
            /** @description Cells of fewer persons are suppressed. */
            k: number;
            /** @description `sha256:` of the whole stored release's RFC 8785 JSON (as the `statistics.released` audit entry states it). */
            digest: string;
            /** Format: date-time */
            releasedAt: string;
            /** @description The year, its quarters and its months that began before `asOf`. */
            periods: {
                /** @description `2026`, `2026-Q1` or `2026-01`. */
                id: string;
                /** @description Whether the period ended before `asOf`. */
                complete: boolean;
            }[];
            /** @description `national` and the participants whose cells the caller sees. */
            agencies: string[];
            /** @description Each breakdown's categories in this release. */
            categories: {
                [key: string]: string[];
            };
            cells: components["schemas"]["StatisticsCell"][];
        };
        StatisticsCell: {
            /** @enum {string} */
            indicator: "alerts-coordinated" | "victims-supported" | "referrals" | "children-referred" | "time-to-first-measure" | "follow-up-completed" | "cross-border-transfers";
            period: string;
            /** @description `national`, or a participant id. */
            agency: string;
            /** @enum {string} */
            dimension: "all" | "form" | "citizenship" | "sex" | "age" | "measure" | "measure-outcome" | "partner-country";
            /** @description `all`, or the category of the breakdown (a form, an ISO 3166 country, a sex, an age band, a measure code, `<code>:<outcome>`). */
            category: string;
            /** @description Distinct persons; `null` where suppressed. */
            persons: number | null;
            /** @description time-to-first-measure, where `persons` is published. */
            medianDays?: number;
            p90Days?: number;
        };
        AuditEntryPage: {
            items: components["schemas"]["AuditItem"][];
            /** @description The `after` of the next page; absent on the last. */
            next?: number;
        };
        /**
         * @description A deadline clock (docs/coordination.md#clocks): a referral not answered by its
         *     respond-by time; a reflection period ending (the reminder before it); a child without
         *     an appointed guardian; a follow-up after leaving a shelter (3, 6, 12 months); a safe
         *     return not reported after its planned date.
         * @enum {string}
         */
        ClockKind: "response-due" | "reflection-period-ending" | "guardian-missing" | "follow-up-due" | "safe-return-overdue";
        CaseClock: {
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["ClockKind"];
            responsible: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            dueAt: string;
            /** @enum {string} */
            state: "pending" | "fired" | "stopped";
            /**
             * Format: uuid
             * @description The exchange that started it.
             */
            startedBy: string;
            /** Format: date-time */
            firedAt?: string;
            /** Format: date-time */
            stoppedAt?: string;
            /**
             * Format: uuid
             * @description The exchange that satisfied it.
             */
            stoppedBy?: string;
        };
        /**
         * @description A deadline clock's kind (ClockKind), or one about the machinery: `dead-letter` (a
         *     delivery failed for good; to its sender), `delivery-retrying` (still retrying
         *     `alerts.retryingMinutes` after acceptance; to its recipient), `certificate-expiring`
         *     and `consent-expiring` (ending within `alerts.expiringDays`; to the certificate's
         *     participant, the consent's recorder), `peer-unreachable` (a partner gateway abroad not
         *     taking deliveries). Coordinators are told of each as well.
         */
        AlertKind: components["schemas"]["ClockKind"] | ("dead-letter" | "delivery-retrying" | "certificate-expiring" | "consent-expiring" | "peer-unreachable");
        /** @description Ids of what the alert is about, never personal data. */
        AlertDetails: {
            /** Format: uuid */
            deliveryId?: string;
            recipient?: components["schemas"]["ParticipantId"];
            sender?: components["schemas"]["ParticipantId"];
            serial?: string;
            /** Format: uuid */
            consentId?: string;
            peer?: string;
        };
        Alert: {
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["AlertKind"];
            details: components["schemas"]["AlertDetails"];
            correlationId?: components["schemas"]["CorrelationId"];
            responsible: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            dueAt: string;
            /** Format: date-time */
            raisedAt: string;
            /** Format: date-time */
            acknowledgedAt?: string;
            acknowledgedBy?: string;
            /** @description The case thread in the console. */
            link: string;
        };
        AlertNotification: {
            /** Format: uuid */
            alertId: string;
            kind: components["schemas"]["AlertKind"];
            details: components["schemas"]["AlertDetails"];
            correlationId?: components["schemas"]["CorrelationId"];
            participant: components["schemas"]["ParticipantId"];
            responsible: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            dueAt: string;
            /** Format: date-time */
            raisedAt: string;
            /** @description The case thread in the console. */
            link: string;
        };
        AlertList: {
            items: components["schemas"]["Alert"][];
            next?: string;
        };
        /**
         * @description A referral's business state (FHIR Task.status in brackets where it differs):
         *     requested, received, accepted, declined (rejected), in-progress, completed,
         *     cancelled, expired (failed).
         * @enum {string}
         */
        ReferralState: "requested" | "received" | "accepted" | "declined" | "in-progress" | "completed" | "cancelled" | "expired";
        Referral: {
            /** Format: uuid */
            exchangeId: string;
            /** Format: uuid */
            deliveryId: string;
            correlationId: components["schemas"]["CorrelationId"];
            requester: components["schemas"]["ParticipantId"];
            owner: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            requestedAt: string;
            /** @enum {string} */
            urgency?: "routine" | "urgent" | "emergency";
            /** Format: date-time */
            respondBy?: string;
            state: components["schemas"]["ReferralState"];
            /** @description The same state as FHIR Task.status. */
            fhirStatus: string;
            /** Format: date-time */
            stateAt: string;
            /** @description In the case-thread view, every state it has been in, oldest first. */
            timeline?: {
                state: components["schemas"]["ReferralState"];
                /** Format: date-time */
                at: string;
                /**
                 * Format: uuid
                 * @description The message that moved it, when one did.
                 */
                exchangeId?: string;
            }[];
        };
        ReferralList: {
            items: components["schemas"]["Referral"][];
            /** @description Pass as `after` for the next page; absent on the last. */
            next?: string;
        };
        CaseThread: {
            correlationId: components["schemas"]["CorrelationId"];
            holder?: components["schemas"]["ParticipantId"];
            messages: {
                /** Format: uuid */
                exchangeId: string;
                type: components["schemas"]["MessageType"];
                sender: components["schemas"]["ParticipantId"];
                recipients: components["schemas"]["ParticipantId"][];
                /** Format: date-time */
                acceptedAt: string;
                inReplyTo?: string;
            }[];
            /** @description Each with its `timeline`. */
            referrals: components["schemas"]["Referral"][];
            latestUpdates: {
                participant: components["schemas"]["ParticipantId"];
                update: string;
                /** Format: uuid */
                exchangeId: string;
                /** Format: date-time */
                at: string;
            }[];
            /** @description The thread's deadline clocks, pending, fired or stopped. */
            clocks: components["schemas"]["CaseClock"][];
            /** @description Each NRM measure's latest status in the copies the caller holds (needs-and-services). */
            measures: {
                code: components["schemas"]["MeasureCode"];
                status: string;
                /** Format: date */
                startedOn?: string;
                /** Format: date */
                completedOn?: string;
                reportedBy: components["schemas"]["ParticipantId"];
                /** Format: uuid */
                exchangeId: string;
                /** Format: date-time */
                at: string;
            }[];
        };
        AuditCheckpoint: {
            treeSize: number;
            /**
             * Format: byte
             * @description Base64 SHA-256 root of the tree of the first `treeSize` entries.
             */
            rootHash: string;
            /** Format: date-time */
            issuedAt: string;
            /** @description Compact JWS (EdDSA, x5c, sigT, typ `audit-checkpoint`) by the seal key over the RFC 8785 JSON of {gateway, treeSize, rootHash, issuedAt}. */
            checkpoint: string;
            /**
             * @description The RFC 3161 timestamp of the checkpoint by the time-stamping authority the operator
             *     configured (`audit.timestamping`), once it gave one; absent without a TSA or while it
             *     cannot be reached. Check it with `openssl ts -verify -token_in -in <token.der>
             *     -data <checkpoint.jws> -CAfile <tsa-ca.pem>` (docs/verify.md).
             */
            timestamp?: {
                /** @description The TSA's URL. */
                tsa: string;
                /**
                 * Format: date-time
                 * @description The TSA's time in the token.
                 */
                genTime: string;
                /**
                 * Format: byte
                 * @description Base64 DER TimeStampToken (CMS SignedData over TSTInfo) whose message imprint is SHA-256 of the checkpoint's JWS, as ASCII.
                 */
                token: string;
            };
        };
        AuditCheckpointList: {
            items: components["schemas"]["AuditCheckpoint"][];
        };
        AuditInclusionProof: {
            seq: number;
            position: number;
            /** Format: byte */
            leafHash: string;
            treeSize: number;
            /** Format: byte */
            rootHash: string;
            path: components["schemas"]["AuditProofPath"];
            /** @description The signed checkpoint the proof is against. */
            checkpoint: string;
        };
        AuditConsistencyProof: {
            from: components["schemas"]["AuditCheckpoint"];
            to: components["schemas"]["AuditCheckpoint"];
            path: components["schemas"]["AuditProofPath"];
        };
        AuditLogItem: {
            position: number;
            seq: number;
            /**
             * Format: byte
             * @description The stored leaf hash.
             */
            leafHash: string;
            /**
             * Format: byte
             * @description SHA-256(previous chainHash || leafHash), 32 zero bytes before the first.
             */
            chainHash: string;
            entry?: components["schemas"]["AuditEntry"];
        };
        AuditLogPage: {
            items: components["schemas"]["AuditLogItem"][];
            /** @description The `start` of the next page; absent on the last. */
            next?: number;
        };
        LegalHoldRequest: {
            correlationId: components["schemas"]["CorrelationId"];
            /** @description Why (e.g. the court's case number); no personal data. */
            reason: string;
        };
        LegalHoldRelease: {
            /** @description Why (e.g. the proceedings closed); no personal data. */
            reason: string;
        };
        LegalHold: {
            /** Format: uuid */
            id: string;
            correlationId: components["schemas"]["CorrelationId"];
            reason: string;
            /** Format: date-time */
            placedAt: string;
            placedBy: string;
            /** Format: date-time */
            releasedAt?: string;
            releasedBy?: string;
            releaseReason?: string;
        };
        LegalHoldList: {
            items: components["schemas"]["LegalHold"][];
        };
        SubjectAccessReport: {
            subject: components["schemas"]["Pseudonym"];
            /** @description Every pseudonym naming the same person (the one asked for included). */
            pseudonyms: components["schemas"]["Pseudonym"][];
            /** Format: date-time */
            generatedAt: string;
            /** @description One per delivery, oldest exchange first. */
            disclosures: components["schemas"]["ReportedDisclosure"][];
            consents: components["schemas"]["Consent"][];
        };
        ReportedDisclosure: {
            /** Format: uuid */
            exchangeId: string;
            type: components["schemas"]["MessageType"];
            correlationId: components["schemas"]["CorrelationId"];
            sender: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            acceptedAt: string;
            recipient: components["schemas"]["ParticipantId"];
            status: components["schemas"]["DeliveryStatus"];
            /** @description Whether the recipient's system got the data (delivered or acknowledged). */
            disclosed: boolean;
            /** Format: date-time */
            disclosedAt?: string;
            legalBasis: {
                /** @description `consent`, or the exemption invoked (`child-protection`, `vital-interest`, `criminal-proceedings`, `legal-obligation`), as recorded at acceptance. */
                basis: string;
                /** Format: uuid */
                consentId?: string;
            };
            /** @description The data categories the recipient's copy carried (empty when nothing was disclosed). */
            categories: components["schemas"]["DataCategory"][];
            /** @description Categories the legal basis did not cover, removed from the recipient's copy. */
            withheldCategories: components["schemas"]["DataCategory"][];
            /**
             * Format: date-time
             * @description When the gateway purged its copy of the payload (retention).
             */
            purgedAt?: string;
        };
        EvidenceBundle: {
            /** @enum {string} */
            format: "referral-gateway-evidence/1";
            gateway: string;
            /** Format: date-time */
            generatedAt: string;
            exchange: components["schemas"]["Exchange"];
            /** @description The envelope as sealed (absent once purged); its RFC 8785 form hashes to `exchange.envelopeDigest` and verifies `exchange.seal`. */
            envelope?: {
                [key: string]: unknown;
            };
            acceptanceReceipt?: components["schemas"]["Jws"];
            deliveries: {
                /** Format: uuid */
                deliveryId: string;
                recipient: components["schemas"]["ParticipantId"];
                /** @description The digest of what this recipient got (its own copy, or the envelope). */
                envelopeDigest: string;
                /** @description The recipient's minimised copy, when it got one and it is kept. */
                copy?: {
                    [key: string]: unknown;
                };
                seal?: components["schemas"]["DetachedJws"];
                receipt?: components["schemas"]["Jws"];
            }[];
            /** @description The exchange's audit entries, each with its inclusion proof against `checkpoint`. */
            auditEntries: {
                entry: components["schemas"]["AuditEntry"];
                seq: number;
                position: number;
                /** Format: byte */
                leafHash: string;
                treeSize: number;
                /** Format: byte */
                rootHash: string;
                path: components["schemas"]["AuditProofPath"];
                checkpoint: string;
            }[];
            checkpoint: components["schemas"]["AuditCheckpoint"];
            /** @description The gateway CA (PEM). Compare its fingerprint with the one published out of band. */
            ca: string;
            /** @description The CRL when the bundle was made (PEM). */
            crl: string;
        };
        Overview: {
            /** Format: date-time */
            generatedAt: string;
            expiringWithinDays: number;
            deliveries: {
                /** @description Deliveries per status (statuses with none are left out). */
                byStatus: {
                    [key: string]: number;
                };
            };
            failuresLastDay: {
                /** @description Failed delivery attempts in the last 24 hours. */
                attempts: number;
                /** @description Failed attempts in each of the last 24 hours, oldest first; the last is the current hour. */
                byHour: number[];
            };
            recipients: {
                participant: components["schemas"]["ParticipantId"];
                /** @enum {string} */
                health: "ok" | "recovered" | "failing";
                suspended: boolean;
                /** @description Deliveries waiting for their turn or in hand (the recipient's queue depth). */
                waiting: number;
                retrying: number;
                deadLetters: number;
                failedAttemptsLastDay: number;
                /** Format: date-time */
                lastFailureAt?: string;
                lastErrorCode?: string;
            }[];
            /** @description Valid certificates whose validity ends within `expiringWithinDays`. */
            certificatesExpiring: number;
            /** @description Consents not withdrawn whose validity ends within `expiringWithinDays`. */
            consentsExpiring: number;
        };
        CertificateRequest: {
            /** @description PKCS#10 certification request, PEM. */
            csr: string;
            subject: components["schemas"]["CertificateSubjectRequest"];
            /** @description Serial of the certificate this one renews (rotation). */
            replaces?: string;
        };
        CertificateSubjectRequest: {
            /** @constant */
            kind: "participant";
            participantId: components["schemas"]["ParticipantId"];
        } | {
            /** @constant */
            kind: "adapter";
            participantId: components["schemas"]["ParticipantId"];
            name: components["schemas"]["SubjectName"];
        } | {
            /** @constant */
            kind: "administrator";
            name: components["schemas"]["SubjectName"];
            roles: components["schemas"]["AdminRole"][];
        } | {
            /** @constant */
            kind: "endpoint";
            participantId: components["schemas"]["ParticipantId"];
            dnsNames?: string[];
            ipAddresses?: string[];
        };
        CertificateSubject: {
            /** @enum {string} */
            kind: "participant" | "adapter" | "administrator" | "gateway" | "endpoint";
            participantId?: components["schemas"]["ParticipantId"];
            name?: string;
            roles?: components["schemas"]["AdminRole"][];
        };
        SubjectName: string;
        /** @enum {string} */
        AdminRole: "certificate-officer" | "consent-officer" | "operator" | "auditor" | "statistician";
        /**
         * @description RFC 5280 reason code, as written into the CRL.
         * @enum {string}
         */
        RevocationReason: "unspecified" | "keyCompromise" | "cACompromise" | "affiliationChanged" | "superseded" | "cessationOfOperation" | "privilegeWithdrawn";
        RevocationRequest: {
            reason: components["schemas"]["RevocationReason"];
        };
        Certificate: {
            /** @description Lowercase hex without leading zeros. */
            serial: string;
            /** @enum {string} */
            status: "valid" | "not-yet-valid" | "expired" | "revoked";
            subject: components["schemas"]["CertificateSubject"];
            /** @description `sha256:` and the hex SHA-256 of the DER certificate. */
            fingerprint: string;
            /** Format: date-time */
            notBefore: string;
            /** Format: date-time */
            notAfter: string;
            /** Format: date-time */
            issuedAt: string;
            replaces?: string;
            /** Format: date-time */
            revokedAt?: string;
            revocationReason?: components["schemas"]["RevocationReason"];
            /** @description The certificate, PEM. */
            certificate: string;
        };
        /** @description The payload of a recipient's signed receipt. */
        Receipt: {
            /** Format: uuid */
            deliveryId: string;
            envelopeDigest: string;
            /** Format: date-time */
            receivedAt?: string;
        };
        InboxItem: {
            /** Format: uuid */
            deliveryId: string;
            /** Format: uuid */
            exchangeId: string;
            envelopeDigest: string;
            envelope: components["schemas"]["Envelope"];
            /** @description The gateway's seal; its payload is the canonical JSON of `envelope`. */
            seal?: components["schemas"]["DetachedJws"];
        };
        Webhook: {
            /** Format: uuid */
            id: string;
            /** Format: uri */
            url: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Set when 20 notifications in a row failed for good (every retry spent, or refused): the webhook gets no more until it is removed and registered again.
             */
            suspendedAt?: string;
        };
        DeadLetter: {
            /** Format: uuid */
            deliveryId: string;
            /** Format: uuid */
            exchangeId: string;
            messageId: components["schemas"]["MessageId"];
            sender: components["schemas"]["ParticipantId"];
            recipient: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            failedAt: string;
            attempts: number;
            lastError: components["schemas"]["AttemptError"];
        };
        AttemptError: {
            /** @description E.g. `HTTP_503`, `ECONNREFUSED`, `TIMEOUT`, `HTTP_400`. */
            code: string;
            message: string;
            permanent?: boolean;
        };
        Attempt: {
            attempt: number;
            /** Format: date-time */
            startedAt: string;
            durationMs: number;
            /** @enum {string} */
            outcome: "delivered" | "transient-error" | "permanent-error";
            error?: components["schemas"]["AttemptError"];
            /**
             * @description The recipient system's own reference for what it took on this attempt, when it gave one: the ministry's registration number, SACP's tracking id, a peer gateway's delivery id. Operators and agencies quote it to find the document at the other end.
             * @example URI-1000
             */
            remoteReference?: string;
        };
        /** @enum {string} */
        MessageType: "alert" | "referral" | "referral-response" | "case-transfer" | "case-update";
        /**
         * @description Version of the message schemas the document follows.
         * @enum {string}
         */
        SchemaVersion: "1.0";
        /** @description Chosen by the sender, unique per sender; the idempotency key. */
        MessageId: string;
        /** @description The case thread. Every message about the same case carries the same value. Must not contain personal data. */
        CorrelationId: string;
        /**
         * @description Why this exchange may happen: a consent record, or an exemption with a written
         *     justification (at least 20 characters). Which participant kinds may invoke which
         *     exemption is the gateway's policy (`GW_EXEMPTION_NOT_ALLOWED`); exemptions are
         *     audited and counted. A consent must cover each recipient it is the basis for
         *     (subject, validity, recipient or kind, purpose), at submit and again at delivery.
         */
        LegalBasis: components["schemas"]["ConsentBasis"] | components["schemas"]["ExemptionBasis"];
        ConsentBasis: {
            /** Format: uuid */
            consentId: string;
        };
        ExemptionBasis: {
            /** @enum {string} */
            exemption: "child-protection" | "vital-interest" | "criminal-proceedings" | "legal-obligation";
            /** @description Written reasons; must not repeat identity data. */
            justification: string;
        };
        /** @description Fields every message carries. Composed into each message type below. */
        EnvelopeHeader: {
            /**
             * Format: uuid
             * @description The exchange id, assigned by the gateway; a submission must not carry it.
             */
            readonly id?: string;
            messageId: components["schemas"]["MessageId"];
            type: components["schemas"]["MessageType"];
            schemaVersion: components["schemas"]["SchemaVersion"];
            sender: components["schemas"]["ParticipantId"];
            recipients: components["schemas"]["ParticipantId"][];
            correlationId: components["schemas"]["CorrelationId"];
            inReplyTo?: components["schemas"]["MessageId"];
            /** Format: date-time */
            createdAt: string;
            purpose: components["schemas"]["Purpose"];
            legalBasis?: components["schemas"]["LegalBasis"];
            /**
             * @description The legal basis for particular recipients, where it differs from `legalBasis`
             *     (which covers the others). Keys must be recipients. The gateway writes the
             *     basis of a recipient it adds itself: for a subject who is or may be a child it
             *     adds the State Agency for Child Protection under `child-protection`.
             */
            recipientLegalBasis?: {
                [key: string]: components["schemas"]["LegalBasis"];
            };
        };
        /** @description A message as submitted by a sender. The gateway assigns `id`. */
        NewExchange: components["schemas"]["Message"];
        /**
         * @description A message as accepted and delivered: the submission plus the gateway's `id`. Its
         *     RFC 8785 canonical JSON is what `envelopeDigest` is computed over.
         */
        Envelope: components["schemas"]["Message"];
        /** @description One of the five message types, told apart by `type`. */
        Message: components["schemas"]["AlertMessage"] | components["schemas"]["ReferralMessage"] | components["schemas"]["ReferralResponseMessage"] | components["schemas"]["CaseTransferMessage"] | components["schemas"]["CaseUpdateMessage"];
        /** @description First signal about a presumed victim, usually to the NCCTHB coordinator. */
        AlertMessage: {
            /** @constant */
            type: "alert";
            payload: components["schemas"]["AlertPayload"];
        } & (WithRequired<components["schemas"]["EnvelopeHeader"], "type"> & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "alert";
        });
        /** @description Request that the recipient provide a measure or service (NRM 1.4). */
        ReferralMessage: {
            /** @constant */
            type: "referral";
            payload: components["schemas"]["ReferralPayload"];
        } & (WithRequired<components["schemas"]["EnvelopeHeader"], "type"> & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "referral";
        });
        /** @description The recipient of a referral accepts or declines it. `inReplyTo` names the referral. */
        ReferralResponseMessage: {
            /** @constant */
            type: "referral-response";
            payload: components["schemas"]["ReferralResponsePayload"];
        } & (WithRequired<components["schemas"]["EnvelopeHeader"], "type" | "inReplyTo"> & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "referral-response";
        });
        /** @description Hands a whole case file to another agency. */
        CaseTransferMessage: {
            /** @constant */
            type: "case-transfer";
            payload: components["schemas"]["CaseTransferPayload"];
        } & (WithRequired<components["schemas"]["EnvelopeHeader"], "type"> & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "case-transfer";
        });
        /** @description Progress on measures, follow-up, shelter exit or case closure. */
        CaseUpdateMessage: {
            /** @constant */
            type: "case-update";
            payload: components["schemas"]["CaseUpdatePayload"];
        } & (WithRequired<components["schemas"]["EnvelopeHeader"], "type"> & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "case-update";
        });
        /** @description ISO 3166-1 alpha-2. */
        CountryCode: string;
        /** @description BCP 47 language tag (e.g. `bg`, `ro`, `en`). */
        LanguageCode: string;
        /** @description Keyed hash identifying the subject across agencies without identity data. */
        Pseudonym: string;
        FreeText: string;
        Place: {
            country: components["schemas"]["CountryCode"];
            region?: string;
            settlement?: string;
        };
        /**
         * @description The person the message is about. At least the pseudonym or the identity is present.
         *     Given an identity with given name, family name and date of birth, the gateway
         *     computes the pseudonym and adds it to the envelope (a different pseudonym is refused
         *     with `GW_PSEUDONYM_MISMATCH`).
         */
        Subject: {
            pseudonym?: components["schemas"]["Pseudonym"];
            identity?: components["schemas"]["Identity"];
            contact?: components["schemas"]["Contact"];
            currentLocation?: components["schemas"]["CurrentLocation"];
            /** @description TRM - every citizenship the person holds or claims. */
            citizenship?: components["schemas"]["CountryCode"][];
            languages?: components["schemas"]["LanguageCode"][];
            child?: components["schemas"]["ChildInformation"];
        } | unknown | unknown;
        Identity: {
            givenName?: string;
            familyName?: string;
            otherNames?: string[];
            /** Format: date */
            dateOfBirth?: string;
            placeOfBirth?: components["schemas"]["Place"];
            /** @enum {string} */
            sex?: "female" | "male" | "other" | "unknown";
            /** @description E.g. the Bulgarian EGN/LNCh. */
            nationalIdNumber?: string;
            documents?: components["schemas"]["IdentityDocument"][];
        };
        IdentityDocument: {
            /** @enum {string} */
            kind: "passport" | "identity-card" | "residence-permit" | "travel-document" | "other";
            number: string;
            issuingCountry: components["schemas"]["CountryCode"];
            /** Format: date */
            validUntil?: string;
            /**
             * @description Who holds the document now (it is often confiscated by traffickers).
             * @enum {string}
             */
            heldBy?: "subject" | "trafficker" | "authorities" | "unknown";
        };
        Contact: {
            phone?: string;
            /** Format: email */
            email?: string;
            /** @description Whether contacting the person directly is safe (false when the trafficker may control the phone). */
            safeToContact?: boolean;
        };
        CurrentLocation: {
            place: components["schemas"]["Place"];
            /** @enum {string} */
            accommodation?: "own-home" | "family" | "shelter" | "crisis-centre" | "hospital" | "police-custody" | "detention" | "street" | "unknown";
            /** Format: date */
            since?: string;
        };
        /**
         * @description Present when the person is, or may be, under 18. Age is either known (`age`) or
         *     uncertain (`ageUncertain: true` with an estimated range).
         */
        ChildInformation: {
            age?: number;
            ageUncertain?: boolean;
            estimatedAge?: {
                min: number;
                max: number;
            };
            unaccompanied: boolean;
            guardian: components["schemas"]["Guardian"];
        } & ({
            /** @constant */
            ageUncertain?: false;
        } | {
            /** @constant */
            ageUncertain: true;
        });
        Guardian: {
            /** @enum {string} */
            status: "appointed" | "not-yet-appointed" | "parent";
            organisation?: string;
            /** Format: date */
            appointedOn?: string;
        };
        /**
         * @description NRM identification status of the person.
         * @enum {string}
         */
        IdentificationStatus: "presumed" | "identified" | "not-a-victim";
        /** @enum {string} */
        ExploitationForm: "sexual" | "labour" | "begging" | "criminal-activities" | "forced-marriage" | "organ-removal" | "sale-of-child" | "domestic-servitude" | "other";
        Exploitation: {
            forms: components["schemas"]["ExploitationForm"][];
            otherForm?: string;
            countryOfExploitation?: components["schemas"]["CountryCode"];
            /** @description TRM - countries the person passed through. */
            countriesOfTransit?: components["schemas"]["CountryCode"][];
            /** Format: date */
            periodFrom?: string;
            /** Format: date */
            periodUntil?: string;
            description?: components["schemas"]["FreeText"];
        };
        /** @description NRM 1.2 risk assessment. */
        RiskAssessment: {
            /** @enum {string} */
            level: "low" | "medium" | "high" | "critical";
            factors?: ("trafficker-contact" | "threats-to-person" | "threats-to-family" | "debt-bondage" | "re-trafficking-history" | "no-safe-accommodation" | "no-documents" | "dependency-on-exploiter" | "other")[];
            /** Format: date */
            assessedOn: string;
            assessedBy?: components["schemas"]["ParticipantId"];
            notes?: components["schemas"]["FreeText"];
        };
        /** @description NRM 1.3 immediate need. */
        ImmediateNeed: {
            /** @enum {string} */
            need: "accommodation" | "medical" | "psychological" | "legal" | "interpretation" | "safety" | "material" | "childcare";
            /** @enum {string} */
            urgency: "immediate" | "within-24-hours" | "within-a-week";
            details?: components["schemas"]["FreeText"];
        };
        RequestedService: {
            measure: components["schemas"]["MeasureCode"];
            service: components["schemas"]["ServiceKind"];
            details?: components["schemas"]["FreeText"];
        };
        /** @enum {string} */
        ServiceKind: "crisis-accommodation" | "long-term-shelter" | "medical-care" | "psychological-counselling" | "legal-aid" | "interpretation" | "police-protection" | "child-protection-measures" | "safe-return-assistance" | "vocational-training" | "financial-assistance" | "other";
        /**
         * @description NRM standard operating procedures: 1.1 identification, 1.2 risk assessment,
         *     1.3 immediate needs, 1.4 referral, 2.1 crisis intervention, 2.2 support during the
         *     reflection period, 3.1 long-term psychological support and empowerment, 3.2 safe return,
         *     3.3 participation in criminal proceedings, 3.4 financial compensation.
         * @enum {string}
         */
        MeasureCode: "1.1" | "1.2" | "1.3" | "1.4" | "2.1" | "2.2" | "3.1" | "3.2" | "3.3" | "3.4";
        /** @description A measure of the NRM and where it stands. */
        Measure: {
            code: components["schemas"]["MeasureCode"];
            /** @enum {string} */
            status: "planned" | "in-progress" | "completed" | "declined-by-person" | "not-applicable";
            /** Format: date */
            startedOn?: string;
            /** Format: date */
            completedOn?: string;
            provider?: components["schemas"]["ParticipantId"];
            notes?: components["schemas"]["FreeText"];
        };
        /** @description Reflection and recovery period (Combating Trafficking in Human Beings Act). */
        ReflectionPeriod: {
            /** Format: date */
            startsOn: string;
            /** Format: date */
            endsOn: string;
            extended?: boolean;
        };
        HealthInformation: {
            conditions?: ("injury" | "chronic-illness" | "infectious-disease" | "mental-health" | "substance-dependence" | "disability" | "pregnancy" | "other")[];
            urgentMedicalCare?: boolean;
            notes?: components["schemas"]["FreeText"];
        };
        Family: {
            dependants?: {
                /** @enum {string} */
                relation: "child" | "partner" | "parent" | "sibling" | "other";
                age?: number;
                withSubject?: boolean;
            }[];
            familyInvolvedInTrafficking?: boolean;
            notes?: components["schemas"]["FreeText"];
        };
        /** @description NRM 3.3 participation in criminal proceedings. */
        CriminalProceedings: {
            participates: boolean;
            /** @enum {string} */
            role?: "witness" | "injured-party" | "private-prosecutor" | "civil-claimant";
            /** @enum {string} */
            stage?: "not-started" | "pre-trial" | "trial" | "appeal" | "concluded";
            prosecutorOffice?: string;
            caseReference?: string;
            witnessProtection?: boolean;
            /** @description NRM 3.4 financial compensation claimed from the state or the offender. */
            compensationClaimed?: boolean;
        };
        /** @description NRM 3.2 safe return. */
        SafeReturn: {
            country: components["schemas"]["CountryCode"];
            /** @enum {string} */
            status: "requested" | "risk-assessed" | "planned" | "completed" | "cancelled";
            /** Format: date */
            plannedOn?: string;
            escortingOrganisation?: string;
            receivingParticipant?: components["schemas"]["ParticipantId"];
        };
        AlertPayload: {
            subject: components["schemas"]["Subject"];
            identificationStatus: components["schemas"]["IdentificationStatus"];
            /** Format: date */
            detectedOn: string;
            /**
             * @description How the person came to notice.
             * @enum {string}
             */
            source: "police-operation" | "border-check" | "ngo-outreach" | "hotline" | "self-report" | "labour-inspection" | "health-service" | "school" | "foreign-authority" | "other";
            placeOfDetection?: components["schemas"]["Place"];
            exploitation?: components["schemas"]["Exploitation"];
            immediateNeeds?: components["schemas"]["ImmediateNeed"][];
            riskAssessment?: components["schemas"]["RiskAssessment"];
            summary?: components["schemas"]["FreeText"];
        };
        ReferralPayload: {
            subject: components["schemas"]["Subject"];
            identificationStatus: components["schemas"]["IdentificationStatus"];
            /** @enum {string} */
            urgency: "routine" | "urgent" | "emergency";
            /** Format: date-time */
            respondBy?: string;
            requestedServices: components["schemas"]["RequestedService"][];
            riskAssessment?: components["schemas"]["RiskAssessment"];
            immediateNeeds?: components["schemas"]["ImmediateNeed"][];
            measuresTaken?: components["schemas"]["Measure"][];
            reflectionPeriod?: components["schemas"]["ReflectionPeriod"];
            exploitation?: components["schemas"]["Exploitation"];
            health?: components["schemas"]["HealthInformation"];
            family?: components["schemas"]["Family"];
            criminalProceedings?: components["schemas"]["CriminalProceedings"];
            notes?: components["schemas"]["FreeText"];
        };
        ReferralResponsePayload: {
            subject: components["schemas"]["Subject"];
            /** @enum {string} */
            decision: "accepted" | "declined";
            /** @enum {string} */
            declineReason?: "no-capacity" | "outside-mandate" | "person-declined" | "duplicate-referral" | "other";
            servicesOffered?: components["schemas"]["RequestedService"][];
            /** Format: date */
            startsOn?: string;
            notes?: components["schemas"]["FreeText"];
        };
        CaseTransferPayload: {
            subject: components["schemas"]["Subject"];
            identificationStatus: components["schemas"]["IdentificationStatus"];
            /**
             * @description Why the case moves to the recipient.
             * @enum {string}
             */
            reason: "change-of-residence" | "specialised-service" | "child-protection" | "safe-return" | "end-of-crisis-phase" | "other";
            /** @description Every NRM measure taken or planned so far. */
            measures: components["schemas"]["Measure"][];
            riskAssessment?: components["schemas"]["RiskAssessment"];
            reflectionPeriod?: components["schemas"]["ReflectionPeriod"];
            exploitation?: components["schemas"]["Exploitation"];
            health?: components["schemas"]["HealthInformation"];
            family?: components["schemas"]["Family"];
            criminalProceedings?: components["schemas"]["CriminalProceedings"];
            safeReturn?: components["schemas"]["SafeReturn"];
            /** Format: date */
            followUpUntil?: string;
            notes?: components["schemas"]["FreeText"];
        };
        CaseUpdatePayload: {
            subject: components["schemas"]["Subject"];
            /** @enum {string} */
            update: "measure-progress" | "follow-up" | "shelter-exit" | "proceedings-update" | "safe-return-update" | "case-closure";
            measures?: components["schemas"]["Measure"][];
            criminalProceedings?: components["schemas"]["CriminalProceedings"];
            safeReturn?: components["schemas"]["SafeReturn"];
            followUp?: {
                /** Format: date */
                on: string;
                /** @enum {string} */
                outcome: "stable" | "needs-support" | "lost-contact" | "re-trafficking-risk";
                notes?: components["schemas"]["FreeText"];
            };
            closure?: {
                /** Format: date */
                closedOn: string;
                /** @enum {string} */
                reason: "reintegrated" | "returned-home" | "transferred" | "lost-contact" | "not-a-victim" | "person-withdrew" | "other";
            };
            notes?: components["schemas"]["FreeText"];
        } & (unknown & unknown);
    };
    responses: {
        /** @description The request is malformed or does not match the contract (`violations` lists each problem). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No client certificate, or one the gateway does not trust. */
        Unauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The caller is known but may not do this. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such resource visible to the caller. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not yet in the audit log's tree or its latest checkpoint (retry after Retry-After), or not in the checkpoint asked for. */
        NotYetLogged: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The same messageId was already used by this sender for a different body. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body exceeds the configured limit. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is not `application/json`. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description Well-formed, but refers to unknown participants, a type or schema version a recipient
         *     does not accept, or an `inReplyTo` message the sender never sent or received.
         */
        Unprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The gateway failed; nothing was stored. Retry with the same messageId. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A dependency of the gateway is unavailable. Retry later with the same messageId. */
        Unavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        AuditSeq: number;
        ConsentId: string;
        /** @description Certificate serial number, hex. */
        Serial: string;
        Format: "der" | "pem";
        ExchangeId: string;
        DeliveryId: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listExchanges: {
        parameters: {
            query?: {
                correlationId?: components["schemas"]["CorrelationId"];
                /** @description Only exchanges with at least one visible delivery in this status. */
                status?: components["schemas"]["DeliveryStatus"];
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of exchanges. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExchangePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            500: components["responses"]["InternalError"];
        };
    };
    submitExchange: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Compact JWS (RS256) with a detached payload: the RFC 8785 canonical JSON of the
                 *     request body. `x5c` is the sender's certificate chain, `sigT` the signing time.
                 *     The certificate must name the sender.
                 */
                "Referral-Signature"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewExchange"];
            };
        };
        responses: {
            /** @description Accepted. The exchange is stored and will be delivered to every recipient. */
            202: {
                headers: {
                    /** @description Tracking URL of the exchange. */
                    Location?: string;
                    /** @description `true` when this answer repeats the answer to an earlier identical submission. */
                    "Idempotent-Replay"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Acceptance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getExchange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ExchangeId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The exchange. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Exchange"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    cancelExchange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["ExchangeId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CancelRequest"];
            };
        };
        responses: {
            /** @description The exchange after cancellation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Exchange"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
        };
    };
    streamExchangeEvents: {
        parameters: {
            query?: never;
            header?: {
                "Last-Event-ID"?: string;
            };
            path: {
                id: components["parameters"]["ExchangeId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An open event stream. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example id: 1042
                     *     event: status
                     *     data: {"eventId":"1042","exchangeId":"a3749e8d-2c9c-4a8a-9344-3f905d61dc62","deliveryId":"bb618bca-bde2-45c5-b5c0-42880881062f","recipient":"BG-NGO-ANIMUS","status":"delivered","at":"2026-11-22T16:55:03.612Z"}
                     */
                    "text/event-stream": string;
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    getInbox: {
        parameters: {
            query?: {
                limit?: number;
                wait?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Waiting deliveries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["InboxItem"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    acknowledgeInboxDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: components["parameters"]["DeliveryId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignedReceipt"];
            };
        };
        responses: {
            /** @description The delivery, now `acknowledged`. Acknowledging twice is harmless. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
        };
    };
    submitReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignedReceipt"];
            };
        };
        responses: {
            /** @description The delivery, now `acknowledged`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
        };
    };
    relayExchange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PeerSubmission"];
            };
        };
        responses: {
            /** @description A repeat of an envelope already accepted; the first answer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Acceptance"];
                };
            };
            /** @description Accepted for delivery to the local recipients. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Acceptance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
        };
    };
    relayReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignedReceipt"];
            };
        };
        responses: {
            /** @description The delivery, now `acknowledged`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Registered webhooks. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Webhook"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    registerWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookRegistration"];
            };
        };
        responses: {
            /** @description Registered. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    getCaseMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listDeadLetters: {
        parameters: {
            query?: {
                recipient?: components["schemas"]["ParticipantId"];
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Dead letters. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DeadLetter"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    retryAllDeadLetters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RetryAllRequest"];
            };
        };
        responses: {
            /** @description How many deliveries were queued again. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        retried: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    retryDeadLetter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: components["parameters"]["DeliveryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery, queued again. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    discardDeadLetter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: components["parameters"]["DeliveryId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DiscardRequest"];
            };
        };
        responses: {
            /** @description The delivery stays `failed` and leaves the dead-letter list. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listExemptionReviews: {
        parameters: {
            query?: {
                status?: "open" | "closed";
                sender?: components["schemas"]["ParticipantId"];
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Reviews. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ExemptionReview"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    closeExemptionReview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reviewId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExemptionReviewVerdict"];
            };
        };
        responses: {
            /** @description The closed review. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExemptionReview"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The review is closed already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getOverview: {
        parameters: {
            query?: {
                expiringWithinDays?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The overview. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Overview"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listLegalHolds: {
        parameters: {
            query?: {
                active?: boolean;
                correlationId?: components["schemas"]["CorrelationId"];
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The holds. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegalHoldList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    placeLegalHold: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LegalHoldRequest"];
            };
        };
        responses: {
            /** @description The hold, in force from now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegalHold"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    releaseLegalHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                holdId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LegalHoldRelease"];
            };
        };
        responses: {
            /** @description The released hold. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegalHold"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listAdminParticipants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every participant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ParticipantRecord"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    addParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Participant"];
            };
        };
        responses: {
            /** @description The participant as registered. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantRecord"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description A participant with this id is registered already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getAdminParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The participant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantRecord"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    changeParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Participant"];
            };
        };
        responses: {
            /** @description The participant as changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantRecord"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    setParticipantDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeliverySettings"];
            };
        };
        responses: {
            /** @description The participant with its new settings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantRecord"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    suspendParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ParticipantStatusChange"];
            };
        };
        responses: {
            /** @description The participant, suspended. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantRecord"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    reinstateParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ParticipantStatusChange"];
            };
        };
        responses: {
            /** @description The participant, reinstated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantRecord"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listReferrals: {
        parameters: {
            query?: {
                state?: components["schemas"]["ReferralState"];
                /** @description Referrals sent to this participant. */
                owner?: components["schemas"]["ParticipantId"];
                /** @description Referrals sent by this participant. */
                requester?: components["schemas"]["ParticipantId"];
                correlationId?: components["schemas"]["CorrelationId"];
                /** @description The `next` of the previous page. */
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The referrals. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReferralList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listAlerts: {
        parameters: {
            query?: {
                open?: boolean;
                /** @description The `next` of the previous page. */
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The alerts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    acknowledgeAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alertId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The alert, acknowledged. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Alert"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    getCaseThread: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                correlationId: components["schemas"]["CorrelationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The case thread. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaseThread"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    getStatistics: {
        parameters: {
            query?: {
                /** @description `csv`: RFC 4180 text, one row per cell (`status` is `published` or `suppressed`). */
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                year: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The release, or the caller's part of it. */
            200: {
                headers: {
                    /** @description `sha256:` of the whole stored release's RFC 8785 JSON. */
                    "Release-Digest"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatisticsRelease"];
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["Unavailable"];
        };
    };
    listAuditCheckpoints: {
        parameters: {
            query?: {
                /** @description Only checkpoints of smaller trees (the next page). */
                before?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checkpoints. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditCheckpointList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
        };
    };
    getAuditConsistency: {
        parameters: {
            query: {
                from: number;
                to?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Both checkpoints and the proof. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditConsistencyProof"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotYetLogged"];
        };
    };
    searchAuditEntries: {
        parameters: {
            query?: {
                /** @description Entries at or after this time. */
                from?: string;
                /** @description Entries before this time. */
                to?: string;
                /** @description `participant:BG-MOI`, `adapter:moi@BG-MOI`, `admin:<name>`, `peer:<gateway>` or `gateway`. */
                actor?: string;
                action?: components["schemas"]["AuditAction"];
                exchangeId?: string;
                participant?: components["schemas"]["ParticipantId"];
                /** @description Entries after this `seq` (the previous page's `next`). */
                after?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEntryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getAuditEntry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                seq: components["parameters"]["AuditSeq"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entry. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditItem"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    getAuditInclusionProof: {
        parameters: {
            query?: {
                /** @description The tree size of the checkpoint to prove against. */
                checkpoint?: number;
            };
            header?: never;
            path: {
                seq: components["parameters"]["AuditSeq"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditInclusionProof"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotYetLogged"];
        };
    };
    getSubjectAccessReport: {
        parameters: {
            query: {
                subject: components["schemas"]["Pseudonym"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubjectAccessReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getEvidenceBundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                exchangeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bundle. */
            200: {
                headers: {
                    /** @description Detached compact JWS (EdDSA by the seal key, x5c, sigT, typ `evidence-bundle`) over the body's bytes. */
                    "Referral-Evidence-Signature"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvidenceBundle"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotYetLogged"];
        };
    };
    readAuditLog: {
        parameters: {
            query?: {
                start?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLogPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            401: components["responses"]["Unauthenticated"];
        };
    };
    listParticipants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every registered participant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Participant"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            500: components["responses"]["InternalError"];
        };
    };
    getParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The participant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Participant"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    computePseudonym: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PseudonymRequest"];
            };
        };
        responses: {
            /** @description The pseudonym. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PseudonymAnswer"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    linkPseudonym: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The pseudonym the gateway issued. */
                pseudonym: components["schemas"]["Pseudonym"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PseudonymRequest"];
            };
        };
        responses: {
            /** @description The link. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PseudonymLink"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The issued pseudonym is linked to another identity already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listConsents: {
        parameters: {
            query: {
                subject: components["schemas"]["Pseudonym"];
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Consents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Consent"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
        };
    };
    recordConsent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsentRequest"];
            };
        };
        responses: {
            /** @description The consent as recorded, with its receipt. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Consent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
        };
    };
    withdrawConsentByCode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WithdrawalByCode"];
            };
        };
        responses: {
            /** @description The consent is withdrawn. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentWithdrawnByCode"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                consentId: components["parameters"]["ConsentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The consent. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Consent"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    withdrawConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                consentId: components["parameters"]["ConsentId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsentWithdrawal"];
            };
        };
        responses: {
            /** @description The consent, now withdrawn. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Consent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    newWithdrawalCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                consentId: components["parameters"]["ConsentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new code, shown this once. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WithdrawalCode"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listCertificates: {
        parameters: {
            query?: {
                participant?: components["schemas"]["ParticipantId"];
                expiringWithinDays?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Certificates. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Certificate"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    issueCertificate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CertificateRequest"];
            };
        };
        responses: {
            /** @description The certificate, recorded and audited. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Certificate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getCertificate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Certificate serial number, hex. */
                serial: components["parameters"]["Serial"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The certificate. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Certificate"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    revokeCertificate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Certificate serial number, hex. */
                serial: components["parameters"]["Serial"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RevocationRequest"];
            };
        };
        responses: {
            /** @description The certificate, now revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Certificate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getCaCertificate: {
        parameters: {
            query?: {
                format?: components["parameters"]["Format"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The CA certificate. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pkix-cert": string;
                    "application/x-pem-file": string;
                };
            };
        };
    };
    getCrl: {
        parameters: {
            query?: {
                format?: components["parameters"]["Format"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The current CRL. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pkix-crl": string;
                    "application/x-pem-file": string;
                };
            };
            503: components["responses"]["Unavailable"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getContract: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document the gateway validates against. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
        };
    };
    getConsole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The console's page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthStatus"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthStatus"];
                };
            };
            503: components["responses"]["Unavailable"];
        };
    };
    deliveryStatusChanged: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusEvent"];
            };
        };
        responses: {
            /** @description Stored. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused; not retried. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    alertRaised: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertNotification"];
            };
        };
        responses: {
            /** @description Stored. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused; not retried. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
type WithRequired<T, K extends keyof T> = T & {
    [P in K]-?: T[P];
};
