#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the jars the build put in src/spark/target/lib/spark
# (no Spark download): one master and N workers on 127.0.0.1, for trying the cluster mode and its faults.
#   scripts/spark-local-cluster.sh start [WORKERS]   master at spark://127.0.0.1:7077, UI off
#   scripts/spark-local-cluster.sh workers            list the worker processes (pid and port)
#   scripts/spark-local-cluster.sh kill-worker        kill one worker (the fault test: the job must finish)
#   scripts/spark-local-cluster.sh stop
# Then: java -jar src/spark/target/segment-cells-spark.jar segment --master spark://127.0.0.1:7077 --output OUT IMAGES
set -euo pipefail
cd "$(dirname "$0")/.."
LIB=$PWD/src/spark/target/lib/spark
RUN=${SPARK_CLUSTER_DIR:-$PWD/target/spark-cluster}
if [ ! -d "$LIB" ]; then echo "build first: mvn -B package -DskipTests (no $LIB)"; exit 1; fi
export SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13
# The worker launches executors from SPARK_HOME/jars; point it at the build's Spark jars.
export SPARK_HOME=$RUN/home
case "${1:-}" in
  start)
    n=${2:-2}
    mkdir -p "$SPARK_HOME" "$RUN/logs" "$RUN/work"
    ln -sfn "$LIB" "$SPARK_HOME/jars"
    nohup java -cp "$LIB/*" -Xmx512m org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077 \
      --webui-port 8080 > "$RUN/logs/master.log" 2>&1 & echo $! > "$RUN/master.pid"
    sleep 3
    for i in $(seq 1 "$n"); do
      nohup java -cp "$LIB/*" -Xmx512m org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
        --memory 6g --work-dir "$RUN/work/$i" --webui-port $((8080 + i)) spark://127.0.0.1:7077 \
        > "$RUN/logs/worker-$i.log" 2>&1 & echo $! > "$RUN/worker-$i.pid"
    done
    sleep 5
    echo "master spark://127.0.0.1:7077 with $n workers (logs in $RUN/logs)";;
  workers)
    for f in "$RUN"/worker-*.pid; do [ -f "$f" ] && echo "$(basename "$f" .pid) pid $(cat "$f")"; done;;
  kill-worker)
    f=$(ls "$RUN"/worker-*.pid | head -1); kill -9 "$(cat "$f")" && rm "$f" && echo "killed $(basename "$f" .pid)";;
  stop)
    for f in "$RUN"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; rm -f "$f"; done
    pkill -f "org.apache.spark.executor" 2>/dev/null || true
    echo stopped;;
  *) sed -n 2,8p "$0"; exit 2;;
esac
