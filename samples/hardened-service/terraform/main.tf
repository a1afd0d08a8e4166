terraform {
  backend "s3" {
    bucket     = "orders-terraform-state"
    key        = "orders/terraform.tfstate"
    region     = "eu-central-1"
    encrypt    = true
    kms_key_id = "alias/orders-terraform-state"
  }
}

provider "aws" {
  region = "eu-central-1"
}

variable "cluster_role_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_kms_key" "eks_secrets" {
  description         = "Envelope encryption of the orders cluster's Kubernetes secrets"
  enable_key_rotation = true
}

resource "aws_eks_cluster" "orders" {
  name     = "orders"
  role_arn = var.cluster_role_arn

  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_public_access  = false
    endpoint_private_access = true
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks_secrets.arn
    }
  }
}
