package dev.cancelable.lincheck

import dev.cancelable.Cancelable
import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationRegistry
import org.jetbrains.kotlinx.lincheck.check
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.StressOptions
import org.jetbrains.lincheck.datastructures.Validate
import org.junit.jupiter.api.Test

/**
 * Registering, finishing, looking up, listing and canceling operations in one registry are
 * linearizable per operation (a listing of the whole registry is weakly consistent across
 * operations, as ConcurrentHashMap's views are; and a finishing operation may show in the live set and
 * in history for an instant, so history is checked once each run is over). Each of three operations can be registered once and
 * then finished once, as its one run does; a finished operation is in history and nowhere else, and
 * none is lost.
 */
@Param(name = "op", gen = IntGen::class, conf = "0:2")
class OperationRegistryLincheckTest {
    private val registry = OperationRegistry(historyLimit = 10)
    private val ops = List(3) { Cancelable(id = "op$it", registry = registry) }
    private val claimed = List(3) { java.util.concurrent.atomic.AtomicBoolean() }
    private val released = List(3) { java.util.concurrent.atomic.AtomicBoolean() }

    /** Registers operation [i] once, as its one run does (claiming the run and joining the registry). */
    @Operation
    fun start(@Param(name = "op") i: Int) = synchronized(claimed[i]) {
        if (claimed[i].compareAndSet(false, true)) registry.started(ops[i])
    }

    /** Finishes operation [i] once, after it was registered, as its run releases it once when it ends. */
    @Operation
    fun finish(@Param(name = "op") i: Int) = synchronized(claimed[i]) {
        if (claimed[i].get() && released[i].compareAndSet(false, true)) registry.finished(ops[i])
    }

    @Operation
    fun isRegistered(@Param(name = "op") i: Int): Boolean = registry.get("op$i") != null

    @Operation
    fun cancel(@Param(name = "op") i: Int): Boolean = registry.cancel("op$i")

    /** Listings are weakly consistent across entries (as ConcurrentHashMap's views); per entry they are exact. */
    @Operation
    fun isListed(@Param(name = "op") i: Int): Boolean = registry.list(OperationFilter(predicate = { it.id == "op$i" })).isNotEmpty()

    @Validate
    fun finishedOperationsAreInHistory() {
        val history = registry.history().map { it.id }
        check(history.size == history.toSet().size) { "an operation entered history twice: $history" }
        check(history.none { registry.get(it) != null }) { "an operation is both live and in history" }
        check(registry.activeCount + history.size == claimed.count { it.get() }) { "an operation was lost" }
    }

    @Test
    fun modelChecking() = ModelCheckingOptions().iterations(30).invocationsPerIteration(300).check(this::class)

    @Test
    fun stress() = StressOptions().iterations(30).invocationsPerIteration(300).check(this::class)
}
