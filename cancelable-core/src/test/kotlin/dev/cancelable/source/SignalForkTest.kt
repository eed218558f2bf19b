package dev.cancelable.source

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.File
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

private const val WAIT_SECONDS = 30L

private val posix = File.separatorChar == '/' && (File("/bin/kill").exists() || File("/usr/bin/kill").exists())

/** Sends OS signals to a JVM of its own: the real path, which the in-process tests only simulate. */
class SignalForkTest : FunSpec({
    test("a forked JVM running an operation that watches USR2 is canceled by a real SIGUSR2, and the next one reaches its previous handler [scenario 53]")
        .config(enabled = posix) {
            val java = File(System.getProperty("java.home"), "bin/java").path
            val process = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SignalChild::class.java.name)
                .redirectErrorStream(true)
                .start()
            val lines = LinkedBlockingQueue<String>()
            val transcript = StringBuilder()
            thread(isDaemon = true, name = "signal-child-output") {
                process.inputStream.bufferedReader().forEachLine { lines.put(it) }
            }

            fun awaitLine(prefix: String): String {
                val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS)
                while (true) {
                    val left = deadline - System.nanoTime()
                    val line = if (left > 0) lines.poll(left, TimeUnit.NANOSECONDS) else null
                        ?: throw AssertionError("no line starting with '$prefix' within $WAIT_SECONDS s; the child printed:\n$transcript")
                    transcript.appendLine(line)
                    if (line.startsWith(prefix)) return line
                }
            }

            fun sendUsr2(pid: String) {
                val kill = ProcessBuilder("kill", "-USR2", pid).redirectErrorStream(true).start()
                kill.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) shouldBe true
                kill.exitValue() shouldBe 0
            }

            try {
                val pid = awaitLine("READY ").removePrefix("READY ").trim()
                sendUsr2(pid)
                awaitLine("RESULT ") shouldBe
                    "RESULT reason=SIGNAL signal=SIGUSR2 number=12 message=Received signal SIGUSR2 (12) status=CANCELED"
                awaitLine("ENDED")
                sendUsr2(pid)
                awaitLine("PREVIOUS ") shouldBe "PREVIOUS SIGUSR2"
                awaitLine("DONE")
                process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) shouldBe true
                process.exitValue() shouldBe 0
            } finally {
                process.destroyForcibly()
            }
        }
})
