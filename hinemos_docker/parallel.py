"""One call per container, many in flight at once: the shape of every per-container Docker call
(stats, inspect, top), on the SDK edge and on the fast path alike."""
from .errors import ContainerNotFound


def per_container(call, container_ids, max_in_flight):
    """{id: call(id)} with up to `max_in_flight` calls at once; a container that vanished meanwhile
    (ContainerNotFound, or a None answer) is left out."""
    from .deadline import parallel_map  # daemon threads: a stuck call never holds the process at exit

    def fetch(container_id):
        try:
            return container_id, call(container_id)
        except ContainerNotFound:
            return container_id, None
    ids = list(container_ids)
    if not ids:
        return {}
    results = parallel_map(fetch, ids, max_in_flight)
    return {cid: result for cid, result in results if result is not None}
