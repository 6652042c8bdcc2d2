import type { FarpointEvent } from '../../shared/contract';

export type EventListener = (event: FarpointEvent) => void;

/** Fan-out of back-end events to every connected front end. A failing listener never stops the others. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: FarpointEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken connection is cleaned up by its own front door.
      }
    }
  }
}
