package dev.cancelable.internal

import kotlinx.coroutines.DisposableHandle

/**
 * A list of one-shot handlers that is closed once, when its owner fires.
 *
 * States: open (accepting, handlers kept in registration order in an intrusive doubly linked list)
 * and closed (after [close]: [add] refuses, every handle's `dispose` is a no-op). Removal is O(1).
 * A single lock guards the links; handlers themselves always run outside it, by the caller.
 * Thread-safe.
 */
internal class HandlerList<T : Any> {
    private val lock = Any()
    private var head: Node<T>? = null
    private var tail: Node<T>? = null
    private var closed = false
    private var size = 0

    /** Handlers currently registered: zero once closed or all disposed. */
    val count: Int get() = synchronized(lock) { size }

    /** Adds [handler]; returns null, without adding, when the list is already closed. */
    fun add(handler: T): DisposableHandle? = synchronized(lock) {
        if (closed) return null
        val node = Node(this, handler)
        val last = tail
        if (last == null) head = node else { last.next = node; node.prev = last }
        tail = node
        size++
        node
    }

    /** The handlers now registered, in order, leaving the list open. */
    fun snapshot(): List<T> = synchronized(lock) {
        val out = ArrayList<T>(size)
        var node = head
        while (node != null) {
            out.add(node.handler)
            node = node.next
        }
        out
    }

    /** Closes the list and returns its handlers in registration order (empty if already closed). */
    fun close(): List<T> = synchronized(lock) {
        if (closed) return emptyList()
        closed = true
        val out = ArrayList<T>(size)
        var node = head
        while (node != null) {
            out.add(node.handler)
            node.removed = true
            node = node.next
        }
        head = null
        tail = null
        size = 0
        out
    }

    private fun remove(node: Node<T>): Unit = synchronized(lock) {
        if (node.removed) return
        node.removed = true
        val prev = node.prev
        val next = node.next
        if (prev == null) head = next else prev.next = next
        if (next == null) tail = prev else next.prev = prev
        node.prev = null
        node.next = null
        size--
    }

    private class Node<T : Any>(val owner: HandlerList<T>, val handler: T) : DisposableHandle {
        var prev: Node<T>? = null
        var next: Node<T>? = null
        var removed = false

        override fun dispose() = owner.remove(this)
    }
}
