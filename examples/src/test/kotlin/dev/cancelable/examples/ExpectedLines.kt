package dev.cancelable.examples

/** The lines each example must print (as patterns), in both languages unless listed per language. */
object ExpectedLines {
    private fun text(vararg lines: String): List<Regex> = lines.map { Regex(Regex.escape(it)) }
    private fun pattern(vararg patterns: String): List<Regex> = patterns.map(::Regex)

    val common: Map<String, List<Regex>> = mapOf(
        "basic-operation" to text(
            "started resize-images (album=holidays): running",
            "progress: resized harbour.jpg {done=3}",
            "completed resize-images: completed in",
            "result=3",
        ),
        "timeout" to text("quick-lookup: found", "slow-report: isCancelled=true, timeout") +
            pattern("""slow-download canceled after \d+ ms: timeout - Operation timed out after"""),
        "manual-token" to text(
            "token callback: manual - user pressed stop",
            "first cancel: true",
            "second cancel: false",
            "linked token: canceled=true, reason=parent",
        ) + pattern(
            """import-users canceled after \d+ rows: manual - user pressed stop""",
            """import-orders canceled after \d+ rows: manual - user pressed stop""",
            """rows imported: \d+""",
        ),
        "one-liner" to text(
            "audit 'fetch 1' inside fetch-report",
            "report #1",
            "poll-queue before shutdown: 7 messages",
            "poll-queue after shutdown: manual - canceled at once",
            "idle-wait: condition after 3 checks",
            "audit 'outside' inside null",
        ),
        "combined-sources" to pattern("""upload: manual - user closed the tab""", """budget: result=null, timeout after \d+ ms"""),
        "shielded-section" to text("charging card", "card charged and order written", "checkout canceled after the critical section: timeout"),
        "registry" to text(
            "live: [", "user_123_*: [", "running: 3", "cancel by id: true", "cancel unknown id: false", "cancelAll user_123_*: 2",
            "user_456_export ended: manual - quota exceeded",
            "user_123_import ended: manual - user logged out",
            "history: [user_123_export=canceled, user_123_import=canceled, user_456_export=canceled, warm-up=completed]",
            "statistics: active=0, history=4, canceled=3, completed=1",
        ),
        "timeout-helper" to text("ACME: 42.0", "operation price-SLOW canceled", "LAZY: 40.0 (fallback)") +
            pattern("""SLOW: timeout, budget \d+ ms"""),
        "cancel-from-thread" to text("transcode canceled from thread 'admin': manual") +
            pattern("""render-video canceled from thread 'operator' after \d+ ms: manual - operator pressed stop"""),
        "cancel-from-coroutine" to text("index: canceled, reason parent", "awaitCancel returned signal") +
            pattern("""crawl canceled by another coroutine after \d+ pages: manual - watchdog: enough pages"""),
        "condition" to pattern("""slow-consumer canceled: condition - Condition 'backlog_full' met after \d+ checks \(backlog \d+\)"""),
        "signal" to text("press Ctrl-C to cancel") +
            pattern("""backup canceled after \d+ files: signal - Received signal SIGTERM \(15\)"""),
        "all-of" to pattern(
            """sampler stopped with \d+ samples after \d+ ms \(minimum \d+ ms\): \w+ - All 2 sources have fired(.|\n)*""" +
                """sampler stopped with \d+ samples after \d+ ms \(minimum \d+ ms\): \w+ - All 2 sources have fired""",
        ),
        "resource-monitoring" to text("this machine: memory ") +
            pattern("""transcode canceled: condition - .+ \(resource memory\)"""),
        "shared-operation" to text(
            "loadUser runs in shared_context",
            "user: ada",
            "loadOrders runs in shared_context",
            "shared_context canceled in loadOrders: timeout, one budget for both functions",
        ),
        "retry" to text("attempt 1 failed: 503 from upstream; retrying in", "sync-orders: payload after 3 attempts") +
            pattern("""sync-invoices gave up after \d+ attempts: timeout - Operation timed out after"""),
        "stream-processing" to text("load-rows completed: batches [25, 25, 25, 25, 20], 120 rows", "cut by timeout") +
            pattern("""ingest-readings canceled: \d+ readings, completed=false, last \[\d+, \d+, \d+]""", """ingest +\d+%"""),
        "monitoring-dashboard" to text("--- frame 1: ", "JMX ActiveCount=", "--- final: 0 running") +
            pattern("""dashboard stopped: condition - Condition 'five_frames' met after \d+ checks"""),
        "metrics" to text(
            """cancelable_operations_seconds_count{operation="sync-orders",reason="none",status="completed"} 3""",
            """cancelable_operations_seconds_count{operation="sync-orders",reason="timeout",status="canceled"} 1""",
            """cancelable_operations_seconds_count{operation="build-report",reason="manual",status="canceled"} 1""",
            """cancelable_operations_seconds_count{operation="import-csv",reason="none",status="failed"} 1""",
            """cancelable_operations_canceled_total{operation="sync-orders",reason="timeout"} 1.0""",
            """cancelable_operations_canceled_total{operation="build-report",reason="manual"} 1.0""",
            """cancelable_operations_progress_total{operation="sync-orders"} 3.0""",
            """cancelable_operations_active{operation="sync-orders"} 0.0""",
            "after close: 0 meters",
        ),
        "tracing" to text(
            "checkout sees its own span: true",
            "checkout: completed, root span, events []",
            "  reserve-stock: completed, child of checkout, events []",
            "  charge-card: canceled (timeout), child of checkout, events [cancelable.cancel]",
        ),
        "llm-streaming" to text(
            "[session-1 stopped: manual - model requested a pause]",
            "[session-2 complete: ",
            "answer: 570 of 570 characters, marker shown: false",
            "[session-3 stopped: condition - Condition 'stream_stalled' met after",
        ),
        "database" to text("connection still usable: 2000 orders, 499000 in total") + pattern(
            """sales-report canceled after \d+ ms: timeout - Operation timed out after .+; driver said SQLState 57014""",
            """top-customers canceled after \d+ ms: manual - user closed the report page""",
        ),
        "http" to text(
            "(loopback only)",
            "GET /operations -> 1 running: GET /work (running)",
            "slow request -> 503 canceled: manual - canceled over HTTP",
        ) + pattern(
            """GET /work\?ms=\d+ -> 200 done in \d+ ms""",
            """GET /work\?ms=\d+&deadline=\d+ -> 504 deadline exceeded: Operation timed out after""",
            """DELETE /operations/\S+ -> 204""",
            """DELETE /operations/\S+ again -> 404""",
        ),
        "grpc" to text(
            "client: manual - the user closed the page",
            "The cross-process tree, from the client's registry and those of A, B and C:",
        ) + pattern(
            """A, B and C listen on loopback ports \d+, \d+, \d+""",
            """checkout \[client] +canceled +manual""",
            """└── demo.Chain/Call \[A] +canceled +parent +gRPC client canceled the call""",
            """    └── demo.Chain/Call \[B] +canceled +parent""",
            """        └── demo.Chain/Call \[C] +canceled +parent""",
        ),
        "ktor-console" to text(
            "(loopback only), console at ",
            "read-only DELETE /cancelable/operations/{id} -> 403",
            "DELETE /cancelable/operations/{id} -> 204",
            "GET /report/99 -> 503 Canceled (manual): Canceled from the operations console",
            "GET /slow -> 504 Deadline exceeded: Operation timed out after 0.3s",
        ) + pattern(
            """dashboard -> report 7: 3 sections \(caller's deadline: 1\.9\d\d s\)""",
            """GET /stream with Request-Timeout 0.2 -> 200, client read \d+ lines""",
            """GET /stream +canceled +timeout - Operation timed out after 0.2s \(sent \d+ lines\)""",
        ),
    )

    val kotlinOnly: Map<String, List<Regex>> = mapOf(
        // Blocking code inside run: Java's blocking calls are interrupted already.
        "timeout" to text("worker-call interrupted: timeout") + pattern("""legacy-call interrupted after \d+ ms: timeout"""),
        "shielded-section" to text("shield status: shielded, child of checkout: true"),
        "resource-monitoring" to text("Memory usage 94.0% exceeds the 90.0% threshold"),
        "monitoring-dashboard" to pattern("""registry events seen: \d+"""),
    )

    val javaOnly: Map<String, List<Regex>> = mapOf(
        "resource-monitoring" to pattern("""Condition 'memory' met after \d+ checks"""),
    )

    /** Lines that must not appear: work after a cancel that should have stopped it. */
    val never: Map<String, List<Regex>> = mapOf(
        "shielded-section" to text("never printed"),
        "shared-operation" to text("orders: 3"),
        "llm-streaming" to text("!!CANCEL"),
    )
}
