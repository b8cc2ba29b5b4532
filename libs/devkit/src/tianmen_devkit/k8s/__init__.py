"""The Kubernetes manifests of `deploy/k8s/base`, generated from the code they deploy.

Roles come from each service's composition (`bootstrap.build()`: an API always, a relay if it
produces to the outbox, a worker if it has a subscription, a migration Job if it has tables) and
KafkaTopics from `tianmen_events.topics`, so neither can drift from the code:
``python -m tianmen_devkit.k8s generate`` writes them, ``… check`` fails on any difference.
"""
