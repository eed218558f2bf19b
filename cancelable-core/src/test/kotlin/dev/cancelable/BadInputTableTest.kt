package dev.cancelable

import dev.cancelable.flow.cancelable
import dev.cancelable.flow.cancelableStream
import dev.cancelable.flow.stream
import dev.cancelable.flow.streamChunked
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.AllOfSource
import dev.cancelable.source.AnyOfSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.ResourceReaders
import dev.cancelable.source.ResourceSource
import dev.cancelable.source.SignalSource
import dev.cancelable.source.TimeoutSource
import dev.cancelable.test.ManualSource
import dev.cancelable.test.assertCanceledWithin
import dev.cancelable.testing.ApiEntryPoints
import dev.cancelable.testing.BadInputLedger
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import java.time.temporal.ChronoUnit
import kotlin.reflect.KClass
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * The bad-input table of the Kotlin API: every entry point that takes a duration or interval, a
 * collection, a size, a name to look up, or that can be run again, against the inputs it must
 * refuse. Each row expects the documented exception with a message naming the parameter (for a
 * re-run, the operation), and leaves no trace in the global registry nor in the row's own.
 *
 * Rows whose expected exception is null are inputs accepted by design, pinned so that the choice is
 * visible (an empty signal list means INT and TERM; a second cancel returns false).
 *
 * Kotlin's `Duration` cannot be NaN: `Double.NaN.seconds` is refused by Kotlin itself before any of
 * our entry points sees it (pinned below); Java's `java.time.Duration` cannot be NaN or infinite,
 * and its values too long for a Kotlin `Duration` (`ChronoUnit.FOREVER`) are rejected as infinite.
 * Nulls from Java are checked for every entry point by [JavaNullsTest]; the Java facade's own table
 * is its `ValidationTest`. Which entry point is covered where is listed in [BadInputLedger].
 */
class BadInputTableTest : FunSpec({

    for (row in rows) {
        val title = "${row.entry}: ${row.input} -> ${row.expected?.simpleName ?: "accepted"}"
        test(title) { withClue(title) { check(row) } }
    }

    test("the ledger lists every public entry point that takes input, of the core, the facade and the test kit") {
        BadInputLedger.entries.keys.toSortedSet() shouldBe ApiEntryPoints.keysTakingInput().keys.toSortedSet()
    }

    test("every row's entry point is in the ledger as covered here, and every such ledger entry has rows") {
        val covered = BadInputLedger.entries.filterValues { it.kotlinTable }.keys
        rows.map { it.entry }.toSet() shouldBe covered
    }
}) {
    /** What a row's call gets: a private registry, for the operations it creates. */
    class Context(val registry: OperationRegistry)

    class Row(
        /** The entry point, as keyed in [BadInputLedger]. */
        val entry: String,
        /** The bad input, in words. */
        val input: String,
        /** The documented exception; null when the input is accepted by design. */
        val expected: KClass<out Throwable>?,
        /** A word the message must contain: the parameter, or for a re-run the operation's name. */
        val names: String?,
        /** Operations the row runs legitimately before the bad call (they end up in its registry's history). */
        val legitimateRuns: Int = 0,
        val call: suspend Context.() -> Unit,
    )

    companion object {
        fun check(row: Row) {
            val global = OperationRegistry.global
            val globalHistory = global.history().size
            val registry = OperationRegistry()
            runTest {
                val thrown = runCatching { row.call(Context(registry)) }.exceptionOrNull()
                val expected = row.expected
                if (expected == null) {
                    withClue("accepted by design, but threw $thrown") { thrown shouldBe null }
                } else {
                    withClue("expected ${expected.simpleName}, got $thrown") { expected.isInstance(thrown) shouldBe true }
                    if (row.names != null) thrown!!.message.orEmpty() shouldContain Regex("""\b${Regex.escape(row.names)}\b""")
                }
            }
            withClue("the row's registry") {
                registry.activeCount shouldBe 0
                registry.history().size shouldBe row.legitimateRuns
            }
            global.activeCount shouldBe 0
            global.history().size shouldBe globalHistory
        }

        private val IAE = IllegalArgumentException::class
        private val ISE = IllegalStateException::class
        private val badDurations = listOf(Duration.ZERO, (-5).seconds, Duration.INFINITE, -Duration.INFINITE)
        private val badJavaDurations = listOf(java.time.Duration.ZERO, java.time.Duration.ofMillis(-5), ChronoUnit.FOREVER.duration)

        private fun durations(entry: String, parameter: String, call: suspend Context.(Duration) -> Unit) =
            badDurations.map { d -> Row(entry, "$parameter = $d", IAE, parameter) { call(d) } }

        private fun javaDurations(entry: String, parameter: String, call: suspend Context.(java.time.Duration) -> Unit) =
            badJavaDurations.map { d -> Row(entry, "$parameter = $d (java.time)", IAE, parameter) { call(d) } }

        private fun sizes(entry: String, parameter: String, vararg bad: Int, call: suspend Context.(Int) -> Unit) =
            bad.map { n -> Row(entry, "$parameter = $n", IAE, parameter) { call(n) } }

        /** An operation that has run once (legitimately) in the row's registry. */
        private suspend fun Context.finished(name: String = "once"): Cancelable =
            Cancelable(name = name, registry = registry).also { it.run { } }

        private val items = flowOf(1, 2, 3)

        val rows: List<Row> = buildList {
            // ---- durations and intervals --------------------------------------------------------
            this += Row("Cancelable.withTimeout", "timeout = NaN seconds: Kotlin refuses to build it", IAE, null) {
                Cancelable.withTimeout(Double.NaN.seconds, registry = registry)
            }
            this += durations("Cancelable.withTimeout", "timeout") { Cancelable.withTimeout(it, registry = registry) }
            this += durations("TimeoutSource.<init>", "timeout") { TimeoutSource(it) }
            this += javaDurations("TimeoutSource.<init>", "timeout") { TimeoutSource(it) }
            this += durations("Cancelable.withCondition", "checkInterval") { Cancelable.withCondition({ false }, it, registry = registry) }
            this += durations("ConditionSource.<init>", "checkInterval") { ConditionSource({ false }, it) }
            this += javaDurations("ConditionSource.<init>", "checkInterval") { ConditionSource({ false }, it) }
            this += durations("ResourceSource.<init>", "checkInterval") { ResourceSource(diskThreshold = 90.0, checkInterval = it) }
            this += durations("OneLinersKt.cancelable", "timeout") { cancelable(timeout = it, registry = registry) { } }
            this += durations("OneLinersKt.cancelable", "checkInterval") { cancelable(condition = { false }, checkInterval = it, registry = registry) { } }
            this += Row("OneLinersKt.cancelable", "checkInterval = 0s without a condition", IAE, "checkInterval") {
                cancelable(checkInterval = Duration.ZERO, registry = registry) { }
            }
            this += durations("CancelableStreamKt.cancelableStream", "timeout") { cancelableStream(items, timeout = it, registry = registry) }
            this += Row("OperationRegistry.cancelAll", "minAge = -1s", IAE, "minAge") { registry.cancelAll(minAge = java.time.Duration.ofSeconds(-1)) }
            this += Row("OperationRegistry.cancelAll", "maxAge = -1s", IAE, "maxAge") { registry.cancelAll(maxAge = java.time.Duration.ofSeconds(-1)) }
            this += Row("OperationRegistry.cleanupCompleted", "olderThan = -1s", IAE, "olderThan") {
                registry.cleanupCompleted(olderThan = java.time.Duration.ofSeconds(-1))
            }
            this += Row("CancelationAssertions.assertCanceledWithin", "window = 5ms..1ms (empty)", IAE, "window") {
                kotlinx.coroutines.test.TestScope().assertCanceledWithin(5.milliseconds..1.milliseconds, CancelationReason.TIMEOUT) { }
            }
            this += Row("CancelationAssertions.assertCanceledWithin", "atLeast = 2s, atMost = 1s", IAE, "atLeast") {
                assertCanceledWithin(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1), CancelationReason.TIMEOUT) { }
            }
            this += Row("CancelationAssertions.assertCanceledWithin", "atLeast = -1s", IAE, "atLeast") {
                assertCanceledWithin(java.time.Duration.ofSeconds(-1), java.time.Duration.ofSeconds(1), CancelationReason.TIMEOUT) { }
            }

            // ---- percentages: NaN, infinite, out of range ---------------------------------------
            for (bad in listOf(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -1.0, 100.5)) {
                this += Row("ResourceSource.<init>", "memoryThreshold = $bad", IAE, "memoryThreshold") { ResourceSource(memoryThreshold = bad) }
            }
            this += Row("ResourceSource.<init>", "cpuThreshold = NaN", IAE, "cpuThreshold") { ResourceSource(cpuThreshold = Double.NaN) }
            this += Row("ResourceSource.<init>", "diskThreshold = NaN", IAE, "diskThreshold") { ResourceSource(diskThreshold = Double.NaN) }

            // ---- empty collections --------------------------------------------------------------
            this += Row("ResourceSource.<init>", "no threshold at all", IAE, "memoryThreshold") { ResourceSource() }
            this += Row("AnyOfSource.<init>", "sources = []", IAE, "sources") { AnyOfSource(emptyList()) }
            this += Row("AnyOfSource.<init>", "no sources (vararg)", IAE, "sources") { AnyOfSource() }
            this += Row("AllOfSource.<init>", "sources = []", IAE, "sources") { AllOfSource(emptyList()) }
            this += Row("AllOfSource.<init>", "no sources (vararg)", IAE, "sources") { AllOfSource() }
            this += Row("Cancelable.combine", "Cancelable.combine() of nothing", IAE, "cancelables") { Cancelable.combine() }
            this += Row("Cancelable.combine", "op.combine() with no others: a combined copy, by design", null, null) {
                Cancelable(name = "alone", registry = registry).combine().name shouldBe "combined_alone"
            }
            this += Row("CancelationToken.linked", "parents = []", IAE, "parents") { CancelationToken.linked(emptyList()) }
            this += Row("CancelationToken.linked", "no parents (vararg)", IAE, "parents") { CancelationToken.linked() }
            this += Row("CancelationToken.linked", "parents = [live, null] from Java: nothing stays linked", NullPointerException::class, "parents") {
                val live = CancelationToken()
                @Suppress("UNCHECKED_CAST")
                val parents = listOf(live, null) as List<CancelationToken>
                try {
                    CancelationToken.linked(parents)
                } finally {
                    live.registrationCount shouldBe 0
                }
            }
            this += Row("SignalSource.<init>", "no signals: INT and TERM, by design", null, null) {
                SignalSource().signals shouldBe listOf("INT", "TERM")
            }
            this += Row("Cancelable.withSignal", "no signals: INT and TERM, by design", null, null) {
                Cancelable.withSignal(registry = registry).name shouldBe "signal_based"
            }

            // ---- sizes below 1 ------------------------------------------------------------------
            this += sizes("StreamsKt.streamChunked", "chunkSize", 0, -1) {
                Cancelable(registry = registry).streamChunked(items, chunkSize = it)
            }
            this += sizes("StreamsKt.streamChunked", "bufferLimit", 0) {
                Cancelable(registry = registry).streamChunked(items, chunkSize = 2, bufferLimit = it)
            }
            this += sizes("StreamsKt.stream", "reportInterval", 0, -1) { Cancelable(registry = registry).stream(items, reportInterval = it) }
            this += sizes("StreamsKt.stream", "bufferLimit", 0) { Cancelable(registry = registry).stream(items, bufferLimit = it) }
            this += sizes("StreamsKt.cancelable", "reportInterval", 0) { items.cancelable(reportInterval = it) }
            this += sizes("StreamsKt.cancelable", "bufferLimit", 0) { items.cancelable(bufferLimit = it) }
            this += sizes("CancelableStreamKt.cancelableStream", "reportInterval", 0) { cancelableStream(items, reportInterval = it, registry = registry) }
            this += sizes("CancelableStreamKt.cancelableStream", "bufferLimit", 0) { cancelableStream(items, bufferLimit = it, registry = registry) }
            this += Row("CancelableStreamKt.cancelableStream", "onProgress without reportInterval", IAE, "reportInterval") {
                cancelableStream(items, onProgress = { _, _ -> }, registry = registry)
            }
            this += sizes("OperationRegistry.<init>", "historyLimit", -1) { OperationRegistry(historyLimit = it) }
            this += sizes("OperationRegistry.<init>", "eventBuffer", 0, -1) { OperationRegistry(eventBuffer = it) }
            this += sizes("OperationRegistry.history", "limit", -1) { registry.history(limit = it) }

            // ---- names, ids and values that must be known ----------------------------------------
            this += Row("CancelableKt.Cancelable", "operationId = \" \"", IAE, "operationId") { Cancelable(operationId = " ", registry = registry) }
            this += Row("Cancelable.withToken", "operationId = \"\"", IAE, "operationId") {
                Cancelable.withToken(CancelationToken(), operationId = "", registry = registry)
            }
            this += Row("Cancelable.withSignal", "signals = [NOPE]", IAE, "signals") { Cancelable.withSignal("NOPE", registry = registry) }
            for (name in listOf("NOPE", "KILL", "QUIT")) {
                this += Row("SignalSource.<init>", "signals = [$name]", IAE, "signals") { SignalSource(name) }
            }
            this += Row("OperationRegistry.exposeJmx", "name = \" \"", IAE, "name") { registry.exposeJmx(" ") }
            this += Row("CancelationReason.fromValue", "value = \"bogus\"", IAE, "value") { CancelationReason.fromValue("bogus") }
            this += Row("OperationStatus.fromValue", "value = \"bogus\"", IAE, "value") { OperationStatus.fromValue("bogus") }
            this += Row("ResourceReaders.diskSpace", "a path that does not exist: unknown, never fires, by design", null, null) {
                ResourceReaders.diskSpace(java.io.File("/no/such/dir")).usagePercent().isNaN() shouldBe true
            }

            // ---- running again --------------------------------------------------------------------
            this += Row("Cancelable.run", "run after it finished", ISE, "once", legitimateRuns = 1) { finished().run { } }
            this += Row("Cancelable.run", "run inside its own run", ISE, "inner", legitimateRuns = 1) {
                val op = Cancelable(name = "inner", registry = registry)
                op.run { op.run { } }
            }
            this += Row("Cancelable.runOrNull", "runOrNull after it finished", ISE, "once", legitimateRuns = 1) { finished().runOrNull { } }
            this += Row("Cancelable.callBlocking", "callBlocking after it finished", ISE, "once", legitimateRuns = 1) { finished().callBlocking { } }
            this += Row("Cancelable.callBlocking", "callBlocking inside its own run", ISE, "inner", legitimateRuns = 1) {
                val op = Cancelable(name = "inner", registry = registry)
                op.callBlocking { op.callBlocking { } }
            }
            this += Row("Cancelable.shield", "shield after it finished", ISE, "once", legitimateRuns = 1) { finished().shield { } }
            this += Row("Cancelable.addSource", "addSource after it finished", ISE, "once", legitimateRuns = 1) {
                finished().addSource(TimeoutSource(1.seconds))
            }
            this += Row("InterruptibleKt.runInterruptible", "runInterruptible after it finished", ISE, "once", legitimateRuns = 1) {
                finished().runInterruptible { }
            }
            this += Row("OneLinersKt.withCancelable", "withCancelable after it finished", ISE, "once", legitimateRuns = 1) {
                withCancelable(finished()) { }
            }
            this += Row("Cancelable.cancel", "cancel after it finished: refused, by design", null, null, legitimateRuns = 1) {
                val op = finished()
                op.cancel() shouldBe false
                op.status shouldBe OperationStatus.COMPLETED
                op.isCanceled shouldBe false
            }
            this += Row("CancelationToken.cancel", "cancel a second time: refused, by design", null, null) {
                val token = CancelationToken()
                token.cancel(CancelationReason.SIGNAL, "first") shouldBe true
                token.cancel(CancelationReason.MANUAL, "second") shouldBe false
                token.reason shouldBe CancelationReason.SIGNAL
            }
            this += Row("StreamsKt.stream", "a stream collected after its operation finished: passes its items, by design", null, null, legitimateRuns = 1) {
                finished().stream(items).toList() shouldBe listOf(1, 2, 3)
            }
            this += Row("StreamsKt.cancelable", "collected outside any operation, with none given", ISE, "operation") { items.cancelable().collect() }
            this += Row("ManualSource.fire", "fire with nothing attached: cancels none, by design", null, null) {
                ManualSource().fire() shouldBe 0
            }
        }
    }
}
