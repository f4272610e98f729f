/**
 * A first-in-first-out queue with O(1) push and shift. The publisher's buffer holds up to tens
 * of thousands of messages during an outage, where Array#shift would copy the array each time.
 */
export class FifoQueue<Item> {
  private items: (Item | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: Item): void {
    this.items.push(item);
  }

  shift(): Item | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    // Reclaims the consumed prefix once it is both large and most of the array.
    if (this.head > 1_024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  peek(): Item | undefined {
    return this.items[this.head];
  }
}
