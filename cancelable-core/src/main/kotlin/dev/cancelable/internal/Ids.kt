package dev.cancelable.internal

import java.security.SecureRandom
import java.util.Random
import java.util.concurrent.atomic.AtomicLong

/**
 * The ids of operations and tokens: 32 lowercase hex characters, unique across processes (they
 * travel between services and merge in dashboards). Thread-safe; see [IdGenerator].
 */
internal object Ids {
    private val generator = IdGenerator(SecureRandom())

    fun next(): String = generator.next()
}

/**
 * Makes 128-bit ids with no secure random on the hot path. An id is two 64-bit halves, each written
 * as 16 hex characters:
 *
 * - first, `mix(counter++ xor salt)`: `mix` is the SplitMix64 finalizer, a bijection of 64-bit
 *   values, so the ids of one generator never repeat (for 2^64 ids) and differ from their first
 *   character, which is what logs and consoles show;
 * - then the nonce, one random value per generator (per process), formatted once.
 *
 * [seeds] gives the nonce and the salt at construction; the global one uses [SecureRandom] once.
 * Two processes collide only if they draw the same 64-bit nonce and then reach the same first half.
 * Thread-safe: one atomic increment per id.
 */
internal class IdGenerator(seeds: Random) {
    private val nonce: ByteArray = ByteArray(HALF).also { writeHex(seeds.nextLong(), it, 0) }
    private val salt: Long = seeds.nextLong()
    private val counter = AtomicLong()

    fun next(): String {
        val bytes = ByteArray(2 * HALF)
        writeHex(mix(counter.getAndIncrement() xor salt), bytes, 0)
        System.arraycopy(nonce, 0, bytes, HALF, HALF)
        return String(bytes, Charsets.ISO_8859_1)
    }

    private companion object {
        const val HALF = 16

        /** Two hex digits for each byte value. */
        val PAIRS: ByteArray = ByteArray(512).also {
            val digits = "0123456789abcdef"
            for (b in 0 until 256) {
                it[2 * b] = digits[b ushr 4].code.toByte()
                it[2 * b + 1] = digits[b and 0xF].code.toByte()
            }
        }

        /** The SplitMix64 finalizer: xor-shifts and odd multiplications, each a bijection. */
        fun mix(value: Long): Long {
            var z = value
            z = (z xor (z ushr 30)) * -0x40a7b892e31b1a47L
            z = (z xor (z ushr 27)) * -0x6b2fb644ecceee15L
            return z xor (z ushr 31)
        }

        /** [value] as 16 hex characters at [offset] in [out], most significant first. */
        fun writeHex(value: Long, out: ByteArray, offset: Int) {
            for (i in 0 until 8) {
                val pair = ((value ushr (56 - 8 * i)).toInt() and 0xFF) shl 1
                out[offset + 2 * i] = PAIRS[pair]
                out[offset + 2 * i + 1] = PAIRS[pair + 1]
            }
        }
    }
}
