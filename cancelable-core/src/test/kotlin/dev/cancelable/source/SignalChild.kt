package dev.cancelable.source

import dev.cancelable.Cancelable
import dev.cancelable.CanceledBySignalException
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.runBlocking
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

/**
 * Run in a forked JVM by [SignalForkTest]: installs a handler of its own for USR2, runs an
 * operation watching USR2 until a real signal cancels it, then waits for a second signal, which
 * must reach its own handler again. Every line it prints is read by the test.
 */
object SignalChild {
    @JvmStatic
    fun main(args: Array<String>) {
        val previousSaw = CountDownLatch(1)
        sun.misc.Signal.handle(sun.misc.Signal("USR2")) { signal ->
            say("PREVIOUS SIG${signal.name}")
            previousSaw.countDown()
        }
        val pid = ProcessHandle.current().pid()
        val op = Cancelable(sources = listOf(SignalSource("USR2")), registry = null)
        val result = runBlocking {
            try {
                op.run {
                    say("READY $pid")
                    awaitCancellation()
                }
            } catch (e: CanceledBySignalException) {
                "RESULT reason=${e.reason.name} signal=${e.signal} number=${e.signalNumber} message=${e.message} status=${op.status.name}"
            }
        }
        say(result)
        say("ENDED")
        say(if (previousSaw.await(30, TimeUnit.SECONDS)) "DONE" else "NO SECOND SIGNAL")
        exitProcess(0)
    }

    private fun say(line: String) {
        println(line)
        System.out.flush()
    }
}
