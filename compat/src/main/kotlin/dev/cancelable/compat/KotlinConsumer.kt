package dev.cancelable.compat

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.facade.Cancelables
import dev.cancelable.test.ManualSource
import dev.cancelable.test.OperationRecorder
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * A user's Kotlin code, compiled by the oldest Kotlin compiler the published modules support,
 * against their packaged jars, then run. It fails (non-zero exit) on the first thing that is off.
 */
fun main() {
    // What the compiler read: the packaged jars, with metadata no newer than Kotlin 2.0.
    for (type in listOf(Cancelable::class.java, ManualSource::class.java, Class.forName("dev.cancelable.facade.internal.Bridge"))) {
        val jar = type.protectionDomain.codeSource.location.path
        check(jar.endsWith(".jar")) { "${type.name} came from $jar, not from a packaged jar" }
        val mv = type.getAnnotation(Metadata::class.java).metadataVersion
        check(mv[0] < 2 || (mv[0] == 2 && mv[1] == 0)) { "${type.name} has Kotlin metadata ${mv.joinToString(".")}, newer than 2.0" }
    }

    runBlocking {
        val timedOut = runCatching {
            Cancelable(name = "compat-timeout", timeout = 50.milliseconds).run { delay(10.seconds) }
        }.exceptionOrNull()
        check(timedOut is CanceledByTimeoutException) { "expected a timeout, got $timedOut" }

        val token = CancellationToken()
        launch { delay(20.milliseconds); token.cancel(CancellationReason.MANUAL, "stop") }
        val value = Cancelable(name = "compat-token", token = token).runOrNull { delay(10.seconds); "done" }
        check(value == null && token.isCanceled) { "the token did not stop the operation" }

        val recorder = OperationRecorder()
        val stop = ManualSource()
        launch { delay(20.milliseconds); stop.fire(CancellationReason.SIGNAL, "test") }
        recorder.record(Cancelable(name = "compat-kit", sources = listOf(stop))).runOrNull { delay(10.seconds) }
        check(recorder.kinds().map { it.name } == listOf("START", "CANCEL")) { "recorded ${recorder.events}" }
    }

    val answer = Cancelables.operation("compat-facade").timeout(java.time.Duration.ofSeconds(5)).build().call<Int, RuntimeException> { 42 }
    check(answer == 42) { "the facade returned $answer" }

    println("Kotlin ${System.getProperty("compat.kotlin")} consumer (kotlin-stdlib ${KotlinVersion.CURRENT} at run time): ok")
}
