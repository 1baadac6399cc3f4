# One image holds the three service executables and trainctl; docker-compose.yml runs
# each as its own container, sharing only a volume of sockets.
FROM swift:6.1-bookworm AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends libprotobuf-c-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --static-swift-stdlib \
    --product scoring-intake --product training-scheduling --product effectiveness-review --product trainctl \
    && mkdir /out && cp "$(swift build -c release --show-bin-path)"/{scoring-intake,training-scheduling,effectiveness-review,trainctl} /out/

FROM debian:bookworm-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends libprotobuf-c1 libsqlite3-0 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1500 training && useradd --uid 1500 --gid training --no-create-home training \
    && mkdir -p /run/training /var/lib/training && chown training:training /run/training /var/lib/training
COPY --from=build /out/ /usr/local/bin/
USER training
