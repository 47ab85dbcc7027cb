variable "instance_id" {
  type    = string
  default = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5"
}

variable "payroll_job" {
  type = string
}
