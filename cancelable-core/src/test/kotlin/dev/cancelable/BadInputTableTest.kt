package dev.cancelable

import dev.cancelable.flow.asOperation
import dev.cancelable.flow.cancelable
import dev.cancelable.flow.cancelableChunks
import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.AllOfSource
import dev.cancelable.source.AnyOfSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.ResourceReaders
import dev.cancelable.source.ResourceSource
import dev.cancelable.source.SignalSource
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
        val title = "${row.entry}: ${row.input} -> ${row.expected?.simpleName ?: "accepted"} [rule 12]"
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
            // Timeouts take any duration (zero or negative has expired, infinite is none); only NaN is
            // refused, by Kotlin before it can reach us.
            this += Row("Operations.Cancelable", "timeout = NaN seconds: Kotlin refuses to build it", IAE, null) {
                Cancelable(timeout = Double.NaN.seconds, registry = registry)
            }
            this += durations("ConditionSource.<init>", "checkInterval") { ConditionSource({ false }, it) }
            this += javaDurations("ConditionSource.<init>", "checkInterval") { ConditionSource({ false }, it) }
            this += durations("ResourceSource.<init>", "checkInterval") { ResourceSource(diskThreshold = 90.0, checkInterval = it) }
            this += Row("OperationFilter.<init>", "minAge = -1s", IAE, "minAge") { OperationFilter(minAge = java.time.Duration.ofSeconds(-1)) }
            this += Row("OperationFilter.<init>", "maxAge = -1s", IAE, "maxAge") { OperationFilter(maxAge = java.time.Duration.ofSeconds(-1)) }
            this += Row("OperationFilter.minAge", "minAge(-1s)", IAE, "minAge") { OperationFilter().minAge(java.time.Duration.ofSeconds(-1)) }
            this += Row("OperationFilter.maxAge", "maxAge(-1s)", IAE, "maxAge") { OperationFilter().maxAge(java.time.Duration.ofSeconds(-1)) }
            this += Row("OperationRegistry.cleanupCompleted", "olderThan = -1s", IAE, "olderThan") {
                registry.cleanupCompleted(java.time.Duration.ofSeconds(-1), true)
            }
            this += Row("CancellationAssertions.assertCanceledWithin", "window = 5ms..1ms (empty)", IAE, "window") {
                kotlinx.coroutines.test.TestScope().assertCanceledWithin(5.milliseconds..1.milliseconds, CancellationReason.TIMEOUT) { }
            }
            this += Row("CancellationAssertions.assertCanceledWithin", "atLeast = 2s, atMost = 1s", IAE, "atLeast") {
                assertCanceledWithin(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1), CancellationReason.TIMEOUT) { }
            }
            this += Row("CancellationAssertions.assertCanceledWithin", "atLeast = -1s", IAE, "atLeast") {
                assertCanceledWithin(java.time.Duration.ofSeconds(-1), java.time.Duration.ofSeconds(1), CancellationReason.TIMEOUT) { }
            }

            // ---- percentages: NaN, infinite, out of range ---------------------------------------
            for (bad in listOf(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -1.0, 100.5)) {
                this += Row("ResourceSource.<init>", "memoryThreshold = $bad", IAE, "memoryThreshold") { ResourceSource(memoryThreshold = bad) }
            }
            this += Row("ResourceSource.<init>", "cpuThreshold = NaN", IAE, "cpuThreshold") { ResourceSource(cpuThreshold = Double.NaN) }
            this += Row("ResourceSource.<init>", "diskThreshold = NaN", IAE, "diskThreshold") { ResourceSource(diskThreshold = Double.NaN) }

            // ---- empty collections --------------------------------------------------------------
            this += Row("ResourceSource.<init>", "no threshold at all", IAE, "memoryThreshold") { ResourceSource() }
            this += Row("AnyOfSource.<init>", "sources = []", IAE, "sources") { AnyOfSource() }
            this += Row("AnyOfSource.<init>", "no sources (vararg)", IAE, "sources") { AnyOfSource() }
            this += Row("AllOfSource.<init>", "sources = []", IAE, "sources") { AllOfSource() }
            this += Row("AllOfSource.<init>", "no sources (vararg)", IAE, "sources") { AllOfSource() }
            this += Row("Cancelable.combine", "op.combine() with no others: a combined copy, by design", null, null) {
                Cancelable(name = "alone", registry = registry).combine().name shouldBe "combined_alone"
            }
            this += Row("CancellationToken.<init>", "linkedTo = []", IAE, "linkedTo") { CancellationToken(linkedTo = listOf()) }
            this += Row("CancellationToken.<init>", "linkedTo = [live, null] from Java: nothing stays linked", NullPointerException::class, "linkedTo") {
                val live = CancellationToken()
                @Suppress("UNCHECKED_CAST")
                val parents = listOf(live, null) as List<CancellationToken>
                try {
                    CancellationToken(linkedTo = parents)
                } finally {
                    live.registrationCount shouldBe 0
                }
            }
            this += Row("SignalSource.<init>", "no signals: INT and TERM, by design", null, null) {
                SignalSource().signals shouldBe listOf("INT", "TERM")
            }

            // ---- sizes below 1 ------------------------------------------------------------------
            this += sizes("FlowsKt.cancelableChunks", "size", 0, -1) { items.cancelableChunks(it, Cancelable(registry = registry)) }
            this += sizes("FlowsKt.cancelableChunks", "bufferLimit", 0) {
                items.cancelableChunks(2, Cancelable(registry = registry), bufferLimit = it)
            }
            this += sizes("FlowsKt.cancelable", "reportInterval", 0, -1) { items.cancelable(Cancelable(registry = registry), reportInterval = it) }
            this += sizes("FlowsKt.cancelable", "bufferLimit", 0) { items.cancelable(Cancelable(registry = registry), bufferLimit = it) }
            this += Row("FlowsKt.cancelable", "reportInterval = 0, with no operation given", IAE, "reportInterval") { items.cancelable(reportInterval = 0) }
            this += Row("FlowsKt.cancelable", "bufferLimit = 0, with no operation given", IAE, "bufferLimit") { items.cancelable(bufferLimit = 0) }
            this += sizes("FlowsKt.asOperation", "reportInterval", 0) { items.asOperation(reportInterval = it, registry = registry) }
            this += sizes("FlowsKt.asOperation", "bufferLimit", 0) { items.asOperation(bufferLimit = it, registry = registry) }
            this += Row("FlowsKt.asOperation", "onProgress without reportInterval", IAE, "reportInterval") {
                items.asOperation(onProgress = { _, _ -> }, registry = registry)
            }
            this += sizes("OperationRegistry.<init>", "historyLimit", -1) { OperationRegistry(historyLimit = it) }
            this += sizes("OperationRegistry.<init>", "historyBufferLimit", -1) { OperationRegistry(historyBufferLimit = it) }

            // ---- names, ids and values that must be known ----------------------------------------
            this += Row("Operations.Cancelable", "id = \" \"", IAE, "id") { Cancelable(id = " ", registry = registry) }
            this += Row("Operations.Cancelable", "remoteParentId = \"\"", IAE, "remoteParentId") { Cancelable(remoteParentId = "", registry = registry) }
            this += Row("Operations.Cancelable", "id = \"\", with a token", IAE, "id") {
                Cancelable(token = CancellationToken(), id = "", registry = registry)
            }
            for (name in listOf("NOPE", "KILL", "QUIT")) {
                this += Row("SignalSource.<init>", "signals = [$name]", IAE, "signals") { SignalSource(name) }
            }
            this += Row("OperationRegistry.exposeJmx", "name = \" \"", IAE, "name") { registry.exposeJmx(" ") }
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
            this += Row("OperationScope.shield", "shield through a scope kept past the end of its run", ISE, "once", legitimateRuns = 1) {
                val escaped = Cancelable(name = "once", registry = registry).run { this }
                escaped.shield { }
            }
            this += Row("Operations.withCancelable", "withCancelable after it finished", ISE, "once", legitimateRuns = 1) {
                withCancelable(finished()) { }
            }
            this += Row("Cancelable.cancel", "cancel after it finished: refused, by design", null, null, legitimateRuns = 1) {
                val op = finished()
                op.cancel() shouldBe false
                op.status shouldBe OperationStatus.COMPLETED
                op.isCanceled shouldBe false
            }
            this += Row("CancellationToken.cancel", "cancel a second time: refused, by design", null, null) {
                val token = CancellationToken()
                token.cancel(CancellationReason.SIGNAL, "first") shouldBe true
                token.cancel(CancellationReason.MANUAL, "second") shouldBe false
                token.reason shouldBe CancellationReason.SIGNAL
            }
            this += Row("FlowsKt.cancelable", "a flow collected after its operation finished: passes its items, by design", null, null, legitimateRuns = 1) {
                items.cancelable(finished()).toList() shouldBe listOf(1, 2, 3)
            }
            this += Row("FlowsKt.cancelable", "collected outside any operation, with none given", ISE, "operation") { items.cancelable().collect() }
            this += Row("ManualSource.fire", "fire with nothing attached: cancels none, by design", null, null) {
                ManualSource().fire() shouldBe 0
            }
        }
    }
}
