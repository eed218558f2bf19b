package dev.cancelable.conformance

import dev.cancelable.testing.Steps
import kotlinx.coroutines.CoroutineScope

/*
 * What the ports of kotlinx.coroutines' own tests share. They pin kotlinx's behaviour onto `run` and
 * `runOrNull`; where ours differs on purpose, the test says so in a comment starting `Difference:`.
 */

/**
 * A failure thrown on purpose. It holds a field of its own, so kotlinx's stack-trace recovery never
 * copies it (as with kotlinx's own `TestException`) and a test can check that the very instance
 * thrown is the one that comes out.
 */
class TestFailure(val label: String = "test") : Exception("test failure: $label")

/** A value whose equals, hashCode and toString fail: whatever returns it must pass it on untouched. */
class BadClass {
    override fun equals(other: Any?): Boolean = error("equals must not be called")
    override fun hashCode(): Int = error("hashCode must not be called")
    override fun toString(): String = error("toString must not be called")
}

/** The last of the ordered steps, as kotlinx's `finish`. */
fun Steps.finish(step: Int) = expect(step)

/** kotlinx's `expectUnreached`: an `Error`, so no `catch (e: Exception)` on the way can hide it. */
fun unreached(): Nothing = throw AssertionError("should not be reached")

/** A scoped builder (`coroutineScope`, `withTimeout`, an operation's `run`) taking a block. */
typealias ScopedBuilder = suspend (block: suspend CoroutineScope.() -> Unit) -> Unit
